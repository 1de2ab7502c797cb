import { readdirSync, readFileSync } from "node:fs";

/**
 * What Linux's /proc says about a process (the HTTP benchmark's CPU and memory figures, the
 * reliability suite's process tree). Each returns an empty answer for a process that is gone.
 */

/** Clock ticks per second of /proc/<pid>/stat's CPU times (USER_HZ: 100 on Linux). */
const TICKS_PER_SECOND = 100;

function statFields(pid: number): string[] {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the command (which may contain spaces) start after the last ')'.
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  } catch {
    return [];
  }
}

export function childPids(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

export function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ");
  } catch {
    return "";
  }
}

/** Resident memory (VmRSS) in bytes; 0 when the process is gone. */
export function rssBytes(pid: number): number {
  try {
    const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return rss ? Number(rss[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** CPU time (user + system, all threads) the process used so far, in ms (10 ms resolution). */
export function cpuMs(pid: number): number {
  const fields = statFields(pid);
  // utime and stime are fields 14 and 15 of the line, 12 and 13 after the command.
  return ((Number(fields[11] ?? 0) + Number(fields[12] ?? 0)) * 1000) / TICKS_PER_SECOND;
}

/**
 * CPU time in ms of a process and all its descendants: its own, its children's that it has already
 * waited for (cutime and cstime: they include their own waited-for descendants), and the live
 * descendants' the same way. PostgreSQL's postmaster with its backends, or this process with the
 * servers it started (the ones it has waited for).
 */
export function treeCpuMs(pid: number): number {
  const fields = statFields(pid);
  // utime, stime, cutime, cstime: fields 14 to 17 of the line, 12 to 15 after the command.
  const own = [11, 12, 13, 14].reduce((sum, index) => sum + Number(fields[index] ?? 0), 0);
  const children = childPids(pid).reduce((sum, child) => sum + treeCpuMs(child), 0);
  return (own * 1000) / TICKS_PER_SECOND + children;
}

/** Resident memory of a process and every process of its group, in bytes. */
export function groupRssBytes(leader: number): number {
  let total = 0;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    // pgrp is the 3rd field after the command.
    if (Number(statFields(Number(entry))[2]) === leader) total += rssBytes(Number(entry));
  }
  return total;
}
