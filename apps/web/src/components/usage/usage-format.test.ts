import { describe, expect, test } from "vitest";
import { formatRate, formatUsd, presetRange } from "./usage-format";

describe("usage dashboard formats", () => {
  test("dollars keep the digits of small amounts", () => {
    expect(formatUsd(0)).toBe("$0.00");
    expect(formatUsd(0.00885)).toBe("$0.00885");
    expect(formatUsd(12.4)).toBe("$12.40");
    expect(formatUsd(1234.5678)).toBe("$1,234.57");
  });

  test("failure rate", () => {
    expect(formatRate(1, 4)).toBe("25%");
    expect(formatRate(0, 0)).toBe("—");
  });

  test("presets are whole UTC days ending today", () => {
    const now = new Date("2026-03-10T23:30:00Z");
    expect(presetRange(7, now)).toEqual({ from: "2026-03-04", to: "2026-03-10" });
    expect(presetRange(30, now)).toEqual({ from: "2026-02-09", to: "2026-03-10" });
    expect(presetRange(90, now)).toEqual({ from: "2025-12-11", to: "2026-03-10" });
  });
});
