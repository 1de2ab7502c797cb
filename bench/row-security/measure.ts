import type { RowSecurityOperation, RowSecurityVariant } from "@sigil/db/bench";
import { median, percentile } from "../lib/stats.ts";

export interface RoundResult {
  opsPerSecond: number;
  /** Per-operation latency, transaction included (µs). */
  medianMicros: number;
  p99Micros: number;
}

/**
 * The same pseudo-random samples for both variants (a fixed-seed LCG), so each side reads and
 * writes exactly the same rows in the same order.
 */
export function samplesFor(count: number, seed: number): number[] {
  let state = seed >>> 0;
  return Array.from({ length: count }, () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state;
  });
}

/** Runs every sample through `variant` with `concurrency` transactions in flight at once. */
export async function timeRound(
  variant: RowSecurityVariant,
  operation: RowSecurityOperation,
  samples: readonly number[],
  concurrency: number,
): Promise<RoundResult> {
  const latencies: number[] = [];
  let next = 0;
  const worker = async () => {
    for (let index = next++; index < samples.length; index = next++) {
      const t0 = performance.now();
      await variant.run(operation, samples[index] ?? 0);
      latencies.push((performance.now() - t0) * 1000);
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  return { opsPerSecond: samples.length / seconds, medianMicros: median(latencies), p99Micros: percentile(latencies, 99) };
}

export interface SideBySide {
  with: RoundResult;
  without: RoundResult;
  /** The median of the rounds' throughput ratios (with / without). */
  ratio: number;
  /** Each round's throughput ratio, in round order: their spread is the noise. */
  roundRatios: number[];
}

/**
 * Warms both variants, then runs rounds in pairs, the order flipping each round (with then
 * without, without then with, …), so neither side always goes first and drift in the machine's
 * load hurts both alike. Each throughput and latency is the median over the rounds; the ratio is
 * the median of each pair's ratio, the two halves of a pair being seconds apart.
 */
export async function measureSideBySide(
  variants: { withPolicies: RowSecurityVariant; withoutPolicies: RowSecurityVariant },
  operation: RowSecurityOperation,
  plan: { rounds: number; perRound: number; warmup: number; concurrency: number },
): Promise<SideBySide> {
  const warmup = samplesFor(plan.warmup, 7);
  await timeRound(variants.withPolicies, operation, warmup, plan.concurrency);
  await timeRound(variants.withoutPolicies, operation, warmup, plan.concurrency);
  const withRounds: RoundResult[] = [];
  const withoutRounds: RoundResult[] = [];
  for (let round = 0; round < plan.rounds; round += 1) {
    const samples = samplesFor(plan.perRound, 1_000 + round);
    const timeWith = async () => withRounds.push(await timeRound(variants.withPolicies, operation, samples, plan.concurrency));
    const timeWithout = async () => withoutRounds.push(await timeRound(variants.withoutPolicies, operation, samples, plan.concurrency));
    if (round % 2 === 0) {
      await timeWith();
      await timeWithout();
    } else {
      await timeWithout();
      await timeWith();
    }
  }
  const summary = (rounds: RoundResult[]): RoundResult => ({
    opsPerSecond: median(rounds.map((r) => r.opsPerSecond)),
    medianMicros: median(rounds.map((r) => r.medianMicros)),
    p99Micros: median(rounds.map((r) => r.p99Micros)),
  });
  const roundRatios = withRounds.map((round, index) => round.opsPerSecond / (withoutRounds[index]?.opsPerSecond ?? Number.NaN));
  return { with: summary(withRounds), without: summary(withoutRounds), ratio: median(roundRatios), roundRatios };
}
