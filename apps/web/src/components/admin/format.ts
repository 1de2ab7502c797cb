/** Number and size formatting for the admin console (fixed locale: the server and the browser agree). */

const LOCALE = "en-US";
const integer = new Intl.NumberFormat(LOCALE, { maximumFractionDigits: 0 });

export function formatNumber(value: number): string {
  return integer.format(value);
}

/** 1536 → "1.5 KB"; binary units, as `du -h` (1 MB = 1,048,576 bytes, like the storage quota). */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 1024) return `${formatNumber(Math.max(0, bytes))} B`;
  const units = ["KB", "MB", "GB", "TB"] as const;
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const digits = value >= 100 ? 0 : value >= 10 ? 1 : 2;
  const text = value.toFixed(digits);
  return `${text.includes(".") ? text.replace(/\.?0+$/, "") : text} ${units[unit] ?? "TB"}`;
}

/** A storage limit as entered (whole MB, like the form's field): 5000 → "5,000 MB". */
export function formatMegabytes(megabytes: number): string {
  return megabytes >= 1 || megabytes === 0 ? `${formatNumber(megabytes)} MB` : formatBytes(megabytes * 1024 * 1024);
}

/**
 * Ticks for a chart axis from 0 to just past `max`: at most five equal steps of 1, 2 or 5 times a
 * power of ten, counted in the largest unit of `base` that `max` reaches (base 1 for counts,
 * 1024 for bytes: a 4 MB axis gets 0, 1, 2, 3, 4 MB, not 0, 1,048,576, …).
 */
export function axisTicks(max: number, base = 1): number[] {
  if (!Number.isFinite(max) || max <= 0) return [0, 1];
  let unit = 1;
  while (base > 1 && max >= unit * base) unit *= base;
  const scaled = max / unit;
  const rough = scaled / 5;
  const power = 10 ** Math.floor(Math.log10(rough));
  const multiple = [1, 2, 5].find((candidate) => candidate * power >= rough) ?? 10;
  // Below the first unit (single bytes, counts) a step is at least 1: no half a user.
  const step = unit === 1 ? Math.max(1, multiple * power) : multiple * power;
  const count = Math.ceil(scaled / step - 1e-9);
  return Array.from({ length: count + 1 }, (_, index) => Number((index * step).toPrecision(12)) * unit);
}

export function bytesToMegabytes(bytes: number): number {
  return bytes / (1024 * 1024);
}

export function megabytesToBytes(megabytes: number): number {
  return megabytes * 1024 * 1024;
}

const dateTime = new Intl.DateTimeFormat(LOCALE, { dateStyle: "medium", timeStyle: "short" });

export function formatDateTime(date: Date): string {
  return dateTime.format(date);
}

/** A URL-safe slug proposed from a name: "Initech Corp." → "initech-corp". */
export function slugify(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 50)
    .replace(/-+$/g, "");
}
