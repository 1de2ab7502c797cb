import { readdirSync, readlinkSync } from "node:fs";

/**
 * The ids of other processes that hold `path` open (Linux: /proc/<pid>/fd). A running web server
 * or worker always holds shared.sqlite open, so this says whether the installation is in use
 * without relying on a pid file a crash could leave behind. Processes of other users cannot be
 * inspected: run the check as the user the server runs as.
 */
export function processesHoldingFile(path: string): number[] {
  const holders: number[] = [];
  let pids: string[];
  try {
    pids = readdirSync("/proc").filter((name) => /^\d+$/.test(name));
  } catch {
    throw new Error("Cannot tell whether a server is running: /proc is not readable on this system.");
  }
  for (const pid of pids) {
    if (Number(pid) === process.pid) continue;
    let descriptors: string[];
    try {
      descriptors = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue; // gone meanwhile, or another user's
    }
    for (const fd of descriptors) {
      try {
        if (readlinkSync(`/proc/${pid}/fd/${fd}`) === path) {
          holders.push(Number(pid));
          break;
        }
      } catch {
        // closed meanwhile
      }
    }
  }
  return holders;
}
