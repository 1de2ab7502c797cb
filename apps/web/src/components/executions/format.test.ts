import { describe, expect, it } from "vitest";
import { executionDuration, formatDuration, isActive, percentOf } from "./format";

describe("execution formatting", () => {
  it("formats durations for people", () => {
    expect(formatDuration(0)).toBe("0 ms");
    expect(formatDuration(849.6)).toBe("850 ms");
    expect(formatDuration(2_460)).toBe("2.4 s");
    expect(formatDuration(12_400)).toBe("12 s");
    expect(formatDuration(60_000)).toBe("1 min");
    expect(formatDuration(65_000)).toBe("1 min 5 s");
    expect(formatDuration(2 * 3_600_000 + 180_000)).toBe("2 h 3 min");
    expect(formatDuration(-1)).toBe("—");
  });

  it("measures started → completed only", () => {
    const startedAt = new Date("2025-01-01T00:00:00Z");
    expect(executionDuration({ startedAt, completedAt: new Date("2025-01-01T00:00:01.500Z") })).toBe(1500);
    expect(executionDuration({ startedAt, completedAt: null })).toBeNull();
    expect(executionDuration({ startedAt: null, completedAt: null })).toBeNull();
  });

  it("knows which statuses still change", () => {
    expect(isActive("pending")).toBe(true);
    expect(isActive("running")).toBe(true);
    expect(isActive("completed")).toBe(false);
    expect(isActive("failed")).toBe(false);
  });

  it("computes a share of a limit", () => {
    expect(percentOf(25, 100)).toBe(25);
    expect(percentOf(1, 0)).toBe(0);
  });
});
