import { spawn, spawnSync } from "node:child_process";
import { once } from "node:events";
import { describe, expect, it } from "vitest";
import { cpuMs, treeCpuMs } from "./processes.ts";

/** A child node process that spins until it has used `ms` of CPU, then exits (or waits for stdin to close). */
const SPIN = (ms: number, wait: boolean) =>
  `const end = ${ms * 1000}; while (process.cpuUsage().user + process.cpuUsage().system < end) {} ${wait ? "process.stdout.write('spun\\n'); process.stdin.resume();" : ""}`;

describe("treeCpuMs", () => {
  it("counts the CPU of the children this process has waited for", () => {
    const before = treeCpuMs(process.pid);
    const ownBefore = cpuMs(process.pid);
    const result = spawnSync(process.execPath, ["-e", SPIN(300, false)]);
    expect(result.status).toBe(0);
    // The child's 300 ms are in this process's tree, not in its own CPU time.
    expect(treeCpuMs(process.pid) - before - (cpuMs(process.pid) - ownBefore)).toBeGreaterThanOrEqual(290);
  });

  it("counts the CPU of a live child", async () => {
    const child = spawn(process.execPath, ["-e", SPIN(300, true)], { stdio: ["pipe", "pipe", "inherit"] });
    try {
      await once(child.stdout, "data");
      const pid = child.pid ?? 0;
      expect(cpuMs(pid)).toBeGreaterThanOrEqual(290);
      expect(treeCpuMs(process.pid)).toBeGreaterThanOrEqual(cpuMs(process.pid) + cpuMs(pid));
    } finally {
      child.stdin.end();
      await once(child, "exit");
    }
  });

  it("is 0 for a process that is gone", () => {
    expect(treeCpuMs(2 ** 22 + 1)).toBe(0);
  });
});
