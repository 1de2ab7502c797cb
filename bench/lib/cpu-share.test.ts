import { cpus } from "node:os";
import { describe, expect, it } from "vitest";
import { otherProcessesCpuPercent } from "./cpu-share.ts";

describe("otherProcessesCpuPercent", () => {
  it("is the machine's busy time minus this run's, as a share of every core's time", () => {
    const cores = cpus().length;
    // 1 s of wall time: cores × 1,000 ms of capacity; the machine was busy for half of it, this run for a quarter.
    const start = { wallMs: 0, machineBusyMs: 0, runMs: 0 };
    const end = { wallMs: 1000, machineBusyMs: 500 * cores, runMs: 250 * cores };
    expect(otherProcessesCpuPercent(start, end)).toBe(25);
  });

  it("never goes below 0 (the kernel's counters and /proc round differently)", () => {
    expect(otherProcessesCpuPercent({ wallMs: 0, machineBusyMs: 0, runMs: 0 }, { wallMs: 1000, machineBusyMs: 100, runMs: 200 })).toBe(0);
  });
});
