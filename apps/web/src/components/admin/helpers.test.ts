import { describe, expect, test } from "vitest";
import { axisTicks, formatBytes, formatMegabytes, slugify } from "./format";

describe("format", () => {
  test("bytes in binary units", () => {
    expect(formatBytes(0)).toBe("0 B");
    expect(formatBytes(1023)).toBe("1,023 B");
    expect(formatBytes(1536)).toBe("1.5 KB");
    expect(formatBytes(5 * 1024 * 1024)).toBe("5 MB");
    expect(formatMegabytes(100)).toBe("100 MB");
    expect(formatMegabytes(100_000)).toBe("100,000 MB");
    expect(formatMegabytes(0.5)).toBe("512 KB");
  });

  test("axis ticks are round numbers in the unit the largest value reaches", () => {
    const MB = 1024 * 1024;
    expect(axisTicks(4 * MB, 1024)).toEqual([0, 1, 2, 3, 4].map((n) => n * MB));
    expect(axisTicks(46, 1024)).toEqual([0, 10, 20, 30, 40, 50]);
    expect(axisTicks(1536, 1024)).toEqual([0, 0.5, 1, 1.5].map((n) => n * 1024));
    expect(axisTicks(3)).toEqual([0, 1, 2, 3]);
    expect(axisTicks(1)).toEqual([0, 1]);
    expect(axisTicks(950)).toEqual([0, 200, 400, 600, 800, 1000]);
    expect(axisTicks(0)).toEqual([0, 1]);
  });

  test("slugify proposes a valid slug", () => {
    expect(slugify("Initech Corp.")).toBe("initech-corp");
    expect(slugify("  Ünïcode & Co  ")).toBe("unicode-co");
    expect(slugify("x".repeat(60))).toHaveLength(50);
  });
});
