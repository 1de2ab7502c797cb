/** The usage dashboard's numbers for people. */

const DAY_MS = 86_400_000;

/** "$12.40", "$0.00885" (small amounts keep their significant digits), "$0.00". */
export function formatUsd(usd: number): string {
  const digits = usd !== 0 && Math.abs(usd) < 1 ? 6 : 2;
  return new Intl.NumberFormat("en-US", { style: "currency", currency: "USD", minimumFractionDigits: 2, maximumFractionDigits: digits }).format(usd);
}

/** "1,234,567" or, for axes, "1.2M". */
export function formatTokens(tokens: number, compact = false): string {
  return new Intl.NumberFormat("en-US", compact ? { notation: "compact", maximumFractionDigits: 1 } : {}).format(tokens);
}

/** "12.5%"; "—" when nothing ran. */
export function formatRate(part: number, whole: number): string {
  if (whole === 0) return "—";
  return new Intl.NumberFormat("en-US", { style: "percent", maximumFractionDigits: 1 }).format(part / whole);
}

/** "Mar 4" for a UTC day (YYYY-MM-DD). */
export function formatDay(day: string): string {
  return new Intl.DateTimeFormat("en-US", { month: "short", day: "numeric", timeZone: "UTC" }).format(new Date(`${day}T00:00:00Z`));
}

export const RANGE_PRESETS = [7, 30, 90] as const;
export type RangePreset = (typeof RANGE_PRESETS)[number];

/** The last `days` UTC days, today included. */
export function presetRange(days: RangePreset, now = new Date()): { from: string; to: string } {
  const to = now.toISOString().slice(0, 10);
  const from = new Date(Date.parse(`${to}T00:00:00Z`) - (days - 1) * DAY_MS).toISOString().slice(0, 10);
  return { from, to };
}

/** The range the page opens with (and the server prefetches). */
export const DEFAULT_PRESET: RangePreset = 30;
