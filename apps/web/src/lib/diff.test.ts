import { describe, expect, it } from "vitest";
import { collapseUnchanged, diffLines, diffSequences, sideBySide, splitLines, type DiffLine } from "./diff";

/** A compact picture of a diff: " a" kept, "-a" removed, "+a" added. */
function picture(lines: readonly DiffLine[]): string[] {
  return lines.map((line) => `${{ equal: " ", removed: "-", added: "+" }[line.kind]}${line.text}`);
}

/** The LCS length of two sequences, by brute force over the diff's own kept lines. */
function lcsLength(a: readonly string[], b: readonly string[]): number {
  const table = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      const row = table[i] ?? [];
      row[j] = a[i] === b[j] ? (table[i + 1]?.[j + 1] ?? 0) + 1 : Math.max(table[i + 1]?.[j] ?? 0, row[j + 1] ?? 0);
    }
  }
  return table[0]?.[0] ?? 0;
}

describe("splitLines", () => {
  it("splits on any newline and ignores one trailing newline", () => {
    expect(splitLines("")).toEqual([]);
    expect(splitLines("a")).toEqual(["a"]);
    expect(splitLines("a\nb\n")).toEqual(["a", "b"]);
    expect(splitLines("a\r\nb\rc")).toEqual(["a", "b", "c"]);
    expect(splitLines("\n")).toEqual([""]);
    expect(splitLines("a\n\n")).toEqual(["a", ""]);
  });
});

describe("diffLines", () => {
  it("keeps identical texts as equal lines with both numbers", () => {
    const result = diffLines("a\nb", "a\nb");
    expect(picture(result.lines)).toEqual([" a", " b"]);
    expect(result.lines[1]).toEqual({ kind: "equal", text: "b", oldNumber: 2, newNumber: 2 });
    expect([result.added, result.removed, result.approximate]).toEqual([0, 0, false]);
  });

  it("handles empty sides", () => {
    expect(picture(diffLines("", "").lines)).toEqual([]);
    expect(picture(diffLines("", "x\ny").lines)).toEqual(["+x", "+y"]);
    expect(picture(diffLines("x\ny", "").lines)).toEqual(["-x", "-y"]);
  });

  it("finds an insertion and a deletion in the middle", () => {
    expect(picture(diffLines("a\nb\nc", "a\nx\nb\nc").lines)).toEqual([" a", "+x", " b", " c"]);
    expect(picture(diffLines("a\nb\nc", "a\nc").lines)).toEqual([" a", "-b", " c"]);
  });

  it("shows a changed line as removed then added", () => {
    const result = diffLines("Dear {{customer}},\nThanks\nBye", "Dear {{name}},\nThanks\nBye");
    expect(picture(result.lines)).toEqual(["-Dear {{customer}},", "+Dear {{name}},", " Thanks", " Bye"]);
    expect(result.lines[0]).toMatchObject({ oldNumber: 1, newNumber: null });
    expect(result.lines[1]).toMatchObject({ oldNumber: null, newNumber: 1 });
    expect(result.lines[2]).toMatchObject({ oldNumber: 2, newNumber: 2 });
    expect([result.added, result.removed]).toEqual([1, 1]);
  });

  it("keeps a longest common subsequence (classic example)", () => {
    const a = ["A", "B", "C", "B", "D", "A", "B"];
    const b = ["B", "D", "C", "A", "B", "A"];
    const result = diffSequences(a, b);
    const kept = result.lines.filter((line) => line.kind === "equal").length;
    expect(kept).toBe(lcsLength(a, b));
    expect(kept).toBe(4);
  });

  it("reconstructs both texts and numbers lines consecutively (random texts)", () => {
    let seed = 42;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed / 2_147_483_648;
    };
    for (let round = 0; round < 200; round++) {
      const pick = () => Array.from({ length: Math.floor(random() * 12) }, () => "abcd"[Math.floor(random() * 4)] ?? "a");
      const a = pick();
      const b = pick();
      const { lines } = diffSequences(a, b);
      expect(lines.filter((line) => line.kind !== "added").map((line) => line.text)).toEqual(a);
      expect(lines.filter((line) => line.kind !== "removed").map((line) => line.text)).toEqual(b);
      expect(lines.filter((line) => line.kind === "equal").length).toBe(lcsLength(a, b));
      expect(lines.flatMap((line) => (line.oldNumber === null ? [] : [line.oldNumber]))).toEqual(a.map((_, i) => i + 1));
      expect(lines.flatMap((line) => (line.newNumber === null ? [] : [line.newNumber]))).toEqual(b.map((_, i) => i + 1));
    }
  });

  it("falls back to remove-then-add beyond the size limit, keeping common ends", () => {
    const result = diffLines("head\na\nb\ntail", "head\nc\nd\ntail", { maxCells: 4 });
    expect(result.approximate).toBe(true);
    expect(picture(result.lines)).toEqual([" head", "-a", "-b", "+c", "+d", " tail"]);
  });

  it("treats whitespace differences as changes", () => {
    expect(picture(diffLines("a ", "a").lines)).toEqual(["-a ", "+a"]);
  });
});

describe("sideBySide", () => {
  it("pairs changed blocks and pads the shorter side", () => {
    const rows = sideBySide(diffLines("a\nold1\nold2\nz", "a\nnew1\nz\nextra").lines);
    expect(rows.map((row) => [row.left?.text ?? null, row.right?.text ?? null])).toEqual([
      ["a", "a"],
      ["old1", "new1"],
      ["old2", null],
      ["z", "z"],
      [null, "extra"],
    ]);
  });
});

describe("collapseUnchanged", () => {
  const rows = Array.from({ length: 20 }, (_, i) => ({ i, changed: i === 10 }));

  it("keeps context around changes and folds the rest", () => {
    const collapsed = collapseUnchanged(rows, (row) => !row.changed, { context: 2, minHidden: 3 });
    const shape = collapsed.map((item) => (item.type === "gap" ? `gap:${item.rows.length}` : String(item.row.i)));
    expect(shape).toEqual(["gap:8", "8", "9", "10", "11", "12", "gap:7"]);
  });

  it("does not fold short runs", () => {
    const collapsed = collapseUnchanged(rows.slice(6, 15), (row) => !row.changed, { context: 3, minHidden: 4 });
    expect(collapsed.every((item) => item.type === "row")).toBe(true);
  });

  it("gives gaps stable ids", () => {
    const collapsed = collapseUnchanged(rows, (row) => !row.changed, { context: 2, minHidden: 3 });
    expect(collapsed.filter((item) => item.type === "gap").map((item) => (item.type === "gap" ? item.id : ""))).toEqual(["gap-0", "gap-13"]);
  });
});
