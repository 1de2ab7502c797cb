import { describe, expect, it } from "vitest";
import { outputPieces } from "./review";

describe("outputPieces", () => {
  it("cuts the output at each anchor, marking which comments cover each piece", () => {
    expect(outputPieces("The quick brown fox", [{ id: "a", start: 4, end: 9 }])).toEqual([
      { text: "The ", commentIds: [] },
      { text: "quick", commentIds: ["a"] },
      { text: " brown fox", commentIds: [] },
    ]);
  });

  it("shares overlapping pieces, and ignores anchors without offsets or past the end", () => {
    const pieces = outputPieces("abcdef", [
      { id: "a", start: 0, end: 4 },
      { id: "b", start: 2, end: 6 },
      { id: "c", start: null, end: null },
      { id: "d", start: 3, end: 40 },
    ]);
    expect(pieces).toEqual([
      { text: "ab", commentIds: ["a"] },
      { text: "cd", commentIds: ["a", "b"] },
      { text: "ef", commentIds: ["b"] },
    ]);
    expect(pieces.map((piece) => piece.text).join("")).toBe("abcdef");
  });
});
