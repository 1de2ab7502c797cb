import { describe, expect, test } from "vitest";
import { chunk } from "./chunked-run";
import { formatBytes, formatMegabytes, slugify } from "./format";

describe("chunk", () => {
  test("splits into chunks of the given size, the last one shorter", () => {
    expect(chunk(["a", "b", "c", "d", "e"], 2)).toEqual([["a", "b"], ["c", "d"], ["e"]]);
    expect(chunk([], 25)).toEqual([]);
    expect(
      chunk(
        Array.from({ length: 60 }, (_, i) => i),
        25,
      ).map((c) => c.length),
    ).toEqual([25, 25, 10]);
  });
});

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

  test("slugify proposes a valid slug", () => {
    expect(slugify("Initech Corp.")).toBe("initech-corp");
    expect(slugify("  Ünïcode & Co  ")).toBe("unicode-co");
    expect(slugify("x".repeat(60))).toHaveLength(50);
  });
});
