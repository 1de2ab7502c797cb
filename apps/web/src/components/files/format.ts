const KB = 1024;
const MB = 1024 * 1024;

function trimmed(value: number, digits: number): string {
  return new Intl.NumberFormat("en-US", { maximumFractionDigits: digits }).format(value);
}

/** A file size for people: "0 B", "812 B", "14.2 KB", "3.41 MB". */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return "—";
  if (bytes < KB) return `${bytes} B`;
  if (bytes < MB) return `${trimmed(bytes / KB, 1)} KB`;
  if (bytes < 1024 * MB) return `${trimmed(bytes / MB, bytes < 10 * MB ? 2 : 1)} MB`;
  return `${trimmed(bytes / (1024 * MB), 2)} GB`;
}

/** Bytes as MiB for the storage quota ("0.42 MB", "12.5 MB", "500 MB"), the unit plans are sold in. */
export function formatMegabytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return "—";
  const mb = bytes / MB;
  if (bytes > 0 && mb < 0.01) return "< 0.01 MB";
  return `${trimmed(mb, mb < 10 ? 2 : 1)} MB`;
}

/** "12.5 MB of 500 MB" */
export function storageText(usedBytes: number, limitBytes: number): string {
  return `${formatMegabytes(usedBytes)} of ${formatMegabytes(limitBytes)}`;
}

/** A whole number with thousands separators ("10,000"). */
export function formatCount(value: number): string {
  return new Intl.NumberFormat("en-US").format(value);
}
