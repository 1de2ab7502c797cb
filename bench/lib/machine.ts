import { availableParallelism, cpus, loadavg, platform, release, tmpdir, totalmem } from "node:os";

/** What a reader needs to compare two result files: numbers mean little without the machine. */
export interface MachineFacts {
  node: string;
  cpuModel: string;
  cores: number;
  memoryGiB: number;
  os: string;
  tmpdir: string;
  /** 1-minute load average when the run started: other work on the machine skews every number. */
  loadAverageAtStart: number;
  date: string;
}

/** 1-minute load average now, rounded; compare with the start to see if the machine was busy. */
export function currentLoadAverage(): number {
  return Math.round((loadavg()[0] ?? 0) * 100) / 100;
}

export function machineFacts(): MachineFacts {
  return {
    node: process.version,
    cpuModel: cpus()[0]?.model.trim() ?? "unknown",
    cores: availableParallelism(),
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    os: `${platform()} ${release()}`,
    tmpdir: tmpdir(),
    loadAverageAtStart: currentLoadAverage(),
    date: new Date().toISOString(),
  };
}
