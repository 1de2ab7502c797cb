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
  /** Each round's throughput ratio, in round order. */
  roundRatios: number[];
  /**
   * The median of the rounds' ratios of the database without policies timed a second time to
   * itself: how far from 1 the machine's noise alone moves a ratio.
   */
  controlRatio: number;
  controlRoundRatios: number[];
}

const ratiosOf = (numerators: readonly RoundResult[], denominators: readonly RoundResult[]) =>
  numerators.map((round, index) => round.opsPerSecond / (denominators[index]?.opsPerSecond ?? Number.NaN));

/**
 * Warms both variants, then times three runs per round: with policies, without, and without once
 * more as a control. The run without policies is always in the middle and the other two swap
 * places every round, so each ratio compares runs seconds apart and neither side always goes
 * first. Each throughput and latency is the median over the rounds; each ratio is the median of
 * the rounds' ratios.
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
  const controlRounds: RoundResult[] = [];
  for (let round = 0; round < plan.rounds; round += 1) {
    const samples = samplesFor(plan.perRound, 1_000 + round);
    const time = async (variant: RowSecurityVariant, into: RoundResult[]) => into.push(await timeRound(variant, operation, samples, plan.concurrency));
    const [first, last] =
      round % 2 === 0
        ? [() => time(variants.withPolicies, withRounds), () => time(variants.withoutPolicies, controlRounds)]
        : [() => time(variants.withoutPolicies, controlRounds), () => time(variants.withPolicies, withRounds)];
    await first();
    await time(variants.withoutPolicies, withoutRounds);
    await last();
  }
  const summary = (rounds: RoundResult[]): RoundResult => ({
    opsPerSecond: median(rounds.map((r) => r.opsPerSecond)),
    medianMicros: median(rounds.map((r) => r.medianMicros)),
    p99Micros: median(rounds.map((r) => r.p99Micros)),
  });
  const roundRatios = ratiosOf(withRounds, withoutRounds);
  const controlRoundRatios = ratiosOf(controlRounds, withoutRounds);
  return {
    with: summary(withRounds),
    without: summary(withoutRounds),
    ratio: median(roundRatios),
    roundRatios,
    controlRatio: median(controlRoundRatios),
    controlRoundRatios,
  };
}
