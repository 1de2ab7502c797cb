import { z } from "zod";

const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const DURATION_PATTERN = /^(\d{1,6})(s|m|h|d)$/;

/** "45s", "30m", "6h", "2d" in milliseconds, or null when the text is not such a duration (or is zero). */
export function parseDuration(text: string): number | null {
  const match = DURATION_PATTERN.exec(text.trim());
  if (!match) return null;
  const [, amount, unit] = match;
  const ms = Number(amount) * UNIT_MS[unit as keyof typeof UNIT_MS];
  return ms > 0 ? ms : null;
}

/** A duration typed by a person (a CLI flag, a setting): a whole number and one unit of s, m, h or d. */
export const durationText = z.string().transform((text, context) => {
  const ms = parseDuration(text);
  if (ms === null) {
    context.addIssue({ code: "custom", message: `Must be a whole number followed by s, m, h or d (e.g. 30m, 6h); got "${text}".` });
    return z.NEVER;
  }
  return ms;
});
