/** Nearest-rank percentile (p in 0..100) of a non-empty sample; no interpolation, so p99 is a value that occurred. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) throw new Error("percentile of an empty sample");
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  const value = sorted[rank - 1];
  if (value === undefined) throw new Error("percentile rank out of range");
  return value;
}

export function median(samples: readonly number[]): number {
  return percentile(samples, 50);
}
