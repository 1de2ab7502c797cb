import type { REVIEW_STATUSES } from "@sigil/validators";

export type ReviewStatus = (typeof REVIEW_STATUSES)[number];

/** How a review status reads in the app. */
export const REVIEW_LABELS: Record<ReviewStatus, string> = { new: "New", reviewed: "Reviewed", needs_work: "Needs work" };

export interface Anchor {
  start: number;
  end: number;
  text: string;
}

/** A piece of the output: plain text, or a span that comments are anchored to (their ids). */
export interface OutputPiece {
  text: string;
  commentIds: string[];
}

/**
 * The output cut into pieces at every anchor boundary, so each anchored span can be highlighted
 * (overlapping anchors share the pieces they overlap). Anchors outside the output are ignored.
 */
export function outputPieces(output: string, anchors: readonly { id: string; start: number | null; end: number | null }[]): OutputPiece[] {
  const valid = anchors.filter(
    (anchor): anchor is { id: string; start: number; end: number } =>
      anchor.start !== null && anchor.end !== null && anchor.start < anchor.end && anchor.end <= output.length,
  );
  const cuts = [...new Set([0, output.length, ...valid.flatMap((anchor) => [anchor.start, anchor.end])])].sort((a, b) => a - b);
  const pieces: OutputPiece[] = [];
  for (let index = 0; index < cuts.length - 1; index += 1) {
    const from = cuts[index] ?? 0;
    const to = cuts[index + 1] ?? 0;
    pieces.push({ text: output.slice(from, to), commentIds: valid.filter((anchor) => anchor.start <= from && anchor.end >= to).map((anchor) => anchor.id) });
  }
  return pieces;
}

/**
 * The selection inside `container` as offsets into its text (UTF-16 code units, as the API
 * stores anchors), or null when nothing inside it is selected.
 */
export function selectionIn(container: Node, selection: Pick<Selection, "rangeCount" | "getRangeAt" | "isCollapsed"> | null): Anchor | null {
  if (!selection || selection.rangeCount === 0 || selection.isCollapsed) return null;
  const range = selection.getRangeAt(0);
  if (!container.contains(range.startContainer) || !container.contains(range.endContainer)) return null;
  const before = range.cloneRange();
  before.selectNodeContents(container);
  before.setEnd(range.startContainer, range.startOffset);
  const start = before.toString().length;
  const text = range.toString();
  if (text === "") return null;
  return { start, end: start + text.length, text };
}
