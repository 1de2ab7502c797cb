import type { MaintenanceOutcome } from "@sigil/db";
import { setImmediate as yieldToEventLoop } from "node:timers/promises";

/** A tenant a run visits, as the registry named it when the run started. */
export interface MaintenanceTarget {
  tenantId: string;
  slug: string;
}

/** What a step says about one tenant; the runner adds who and how long. */
export type StepOutcome = Omit<MaintenanceOutcome, "tenantId" | "slug" | "durationMs">;

/**
 * Visits the targets and hands their outcomes to `report` (awaited, in batches); takes no new
 * tenant once `signal` is aborted. Must not block the thread for long at a time.
 */
export interface MaintenanceTask {
  run(targets: readonly MaintenanceTarget[], report: (outcomes: MaintenanceOutcome[]) => Promise<void>, signal: AbortSignal): Promise<void>;
}

/** How much synchronous work one slice may do before the runner yields to the event loop. */
export interface SliceLimits {
  /** Yield once a slice has run this long (a request waits at most about this, plus one step). */
  budgetMs: number;
  /** …or once it has visited this many tenants (one results transaction per slice). */
  maxTenants: number;
}

export const DEFAULT_SLICE: SliceLimits = { budgetMs: 20, maxTenants: 50 };

export function roundMs(ms: number): number {
  return Math.round(ms * 10) / 10;
}

/**
 * A task of one step per tenant (a quick_check, a repair), run in slices: tenants are visited
 * until the slice's time or count budget is spent, the slice's outcomes are recorded in one
 * transaction, and the event loop gets a turn (setImmediate) before the next slice, so the
 * server keeps answering requests while the run goes (docs/architecture.md, Maintenance runs).
 * A step that throws fails only its tenant.
 */
export function perTenantTask(step: (target: MaintenanceTarget) => Promise<StepOutcome>, limits: SliceLimits = DEFAULT_SLICE): MaintenanceTask {
  return {
    async run(targets, report, signal) {
      let next = 0;
      while (next < targets.length && !signal.aborted) {
        const sliceStarted = performance.now();
        const outcomes: MaintenanceOutcome[] = [];
        // At least one tenant per slice, whatever the budget, so a run always advances.
        while (
          next < targets.length &&
          (outcomes.length === 0 || (outcomes.length < limits.maxTenants && performance.now() - sliceStarted < limits.budgetMs))
        ) {
          const target = targets[next];
          next += 1;
          if (!target) break;
          const started = performance.now();
          let outcome: StepOutcome;
          try {
            outcome = await step(target);
          } catch (error) {
            outcome = { outcome: "failed", detail: error instanceof Error ? error.message : String(error), databaseBytes: null, failed: true };
          }
          outcomes.push({ ...outcome, tenantId: target.tenantId, slug: target.slug, durationMs: roundMs(performance.now() - started) });
        }
        await report(outcomes);
        await yieldToEventLoop();
      }
    },
  };
}
