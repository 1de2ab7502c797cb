import { describe, expect, test } from "vitest";
import { formatBytes, formatMegabytes, slugify } from "./format";

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
