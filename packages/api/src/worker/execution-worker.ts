import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import {
  deploymentModel,
  executionModel,
  fileModel,
  HybridDatabaseManager,
  promptModel,
  tenantContext,
  tenantWorkModel,
  signalWork,
  type BatchRunRow,
  type ExecutionMeasures,
  type ExecutionOutcome,
  type ExecutionRow,
  type PendingTenant,
} from "@sigil/db";
import { apiConfig } from "../config.ts";
import { OutboundUnreachableError, type OutboundPolicy } from "../outbound/request.ts";
import { TEMPLATE_PROVIDER } from "../services/executions.ts";
import { withDeadline } from "./deadline.ts";
import { PROVIDER_KINDS, providerOptionsProblem, type ProviderOptionsKind } from "@sigil/validators";
import { DEFAULT_PROVIDER_TIMEOUT_MS, HttpProvider, KeyedSemaphore, loadProviderSettings } from "./providers/index.ts";
import { errorMessage, ExecutionFailure, type ExecutionProvider, type ProviderFile, type ProviderRequest, type TokenUsage } from "./provider.ts";
import { executionCost } from "../services/pricing/prices.ts";
import { validateResult } from "./output-validation.ts";
import { IdleLoop } from "./idle-loop.ts";
import { templateProvider } from "./template-provider.ts";

export interface ExecutionWorkerOptions {
  /**
   * Providers by the name an execution's `provider` field uses; they take precedence over the
   * built-in `template` provider and over the tenant's provider settings.
   */
  providers?: Record<string, ExecutionProvider>;
  /**
   * How often an idle loop looks for work when it cannot be told (default 1 s): only when
   * `wakeOnSignal` is off or watching the signal file failed. Otherwise an idle worker waits for
   * the signal of a new execution, a claim by another worker (whose lease it may have to recover),
   * or the next lease check in the index, and looks at nothing in between.
   */
  pollIntervalMs?: number;
  /** Claims (first run plus retries after a crash) before an abandoned execution is failed (default 3). */
  maxAttempts?: number;
  /**
   * How long a claim holds without renewal (default 3 min). The worker renews it every third of
   * that while the execution runs; an execution whose lease expired (its worker crashed, was
   * killed or hung) is given back to `pending` by stale recovery, by any worker.
   */
  leaseMs?: number;
  /** How often stale recovery looks for expired leases, in shared.sqlite's index (default 30 s). */
  recoveryIntervalMs?: number;
  /** Executions run at the same time within one tick, across tenants (default 4). */
  concurrency?: number;
  /** Executions one tick claims at most; the loop starts the next tick at once if it hit this (default 100). */
  maxPerTick?: number;
  /** Timeout of one HTTP call of a provider (default 60 s, at most executionTimeoutMs). */
  providerTimeoutMs?: number;
  /** Calls of one provider request at most, retries on 429/5xx/network errors included (default 4). */
  providerMaxAttempts?: number;
  /**
   * The worker stops waiting for a provider after this long and fails the execution, even if the
   * provider ignores its abort signal (default 2 min, at most two thirds of leaseMs). Must be below
   * leaseMs, so an execution ends before its claim could expire even if no renewal got through.
   */
  executionTimeoutMs?: number;
  /** Watch the data directory's signal file so new executions are picked up at once (default true). */
  wakeOnSignal?: boolean;
  /** Called for every processed execution, every recovery and every error; must not throw (it is guarded). */
  onEvent?: (event: WorkerEvent) => void;
  /**
   * Where providers may connect besides public addresses (default: the
   * allow-list of SIGIL_OUTBOUND_ALLOW, read when the worker is created).
   */
  outbound?: OutboundPolicy;
}

export interface TenantRef {
  tenantId: string;
  tenantSlug: string;
}

export type WorkerEvent =
  | (TenantRef & {
      type: "execution";
      executionId: string;
      provider: string;
      status: "completed" | "failed";
      attempts: number;
      durationMs: number;
      error: string | null;
      /**
       * For the operator's log only, never stored on the execution: why an outbound request was
       * refused or failed (e.g. "… resolves to 10.0.0.5, a private address …"), which the tenant
       * must not learn.
       */
      detail: string | null;
      /** False when the claim was lost before the outcome was recorded (the outcome was dropped). */
      recorded: boolean;
    })
  | (TenantRef & { type: "recovered"; retried: number; failed: number })
  /** A batch run's last execution ended: it completed (once, in that execution's transaction). */
  | (TenantRef & { type: "batch.completed"; batchRunId: string; total: number })
  | (Partial<TenantRef> & { type: "error"; message: string });

export interface WorkerStatus {
  id: string;
  running: boolean;
  ticksInFlight: number;
  /** Epoch ms; null before the first pass. An idle worker's last pass may be hours old: it sleeps until woken. */
  lastTickStartedAt: number | null;
  lastTickEndedAt: number | null;
}

export interface WorkerError extends Partial<TenantRef> {
  message: string;
}

export interface RecoveryResult {
  /** Executions put back to `pending` (attempts left). */
  retried: number;
  /** Executions failed because their attempts were used up. */
  failed: number;
  /** Tenants that could not be visited (e.g. a missing database file); the others were. */
  errors: WorkerError[];
}

export interface TickResult {
  /** Executions this tick claimed and ran to an outcome. */
  processed: number;
  completed: number;
  failed: number;
  /** Executions with an expired lease recovered at the start of the tick (when recovery was due). */
  recovered: { retried: number; failed: number };
  errors: WorkerError[];
  /** The tick stopped at a limit with work left (maxPerTick, or a full batch of recovery): run the next at once. */
  more: boolean;
}

interface Tick {
  halted: boolean;
  done: Promise<unknown>;
}

const DEFAULTS = {
  pollIntervalMs: 1_000,
  maxAttempts: 3,
  leaseMs: 3 * 60_000,
  recoveryIntervalMs: 30_000,
  concurrency: 4,
  maxPerTick: 100,
  executionTimeoutMs: 2 * 60_000,
};
/** Tenants one recovery pass visits at most; a full batch makes the next pass due at once. */
const RECOVERY_BATCH = 500;
/** Tenant visits (claims, found or not) a tick makes at most, per execution of its budget. */
const VISITS_PER_CLAIM = 10;

/**
 * Takes pending executions and runs them through a provider.
 *
 * Which tenants: only those the pending-work index in shared.sqlite lists (`tenant_work`,
 * packages/db/src/models/tenant-work.ts). Creating an execution marks its tenant in the same
 * transaction; a tick reads the active marked tenants (one indexed query) and opens only their
 * files, so an idle worker opens no tenant file. A tenant whose claim finds nothing has its mark
 * cleared, unless it was marked again since the worker read it.
 *
 * Tenancy: the worker is background work, so it never inherits a tenant context. It opens
 * `tenantContext.runWithTenant(tenantId, …)` itself, once per claim and once per recovery;
 * everything an execution reads (prompt version, files, deployment options, provider settings) is
 * read inside that context.
 *
 * Fairness: tenants are served in rounds, one execution each per turn, the tenant waiting longest
 * first (a claim moves the tenant to the back), and each round re-reads the index, so a tenant
 * marked during another tenant's long backlog waits at most one round. `concurrency` executions
 * run in parallel.
 *
 * Several workers: each has an `id`; a claim records it with a lease (`leaseMs`) that the worker
 * renews while the execution runs, and the outcome is recorded only while the claim is still this
 * worker's. A worker that dies stops renewing; once the lease expired, stale recovery (every
 * `recoveryIntervalMs`, from the index's lease checks) gives the execution back to `pending`
 * while attempts < maxAttempts, else fails it, whatever the tenant's status: a suspended tenant
 * finds its executions `pending` (or failed) when it is reactivated.
 */
export class ExecutionWorker {
  /** `<host>:<pid>:<random>`: who holds a claim (executions.claimed_by). */
  readonly id: string;
  readonly pollIntervalMs: number;
  readonly maxAttempts: number;
  readonly leaseMs: number;
  readonly recoveryIntervalMs: number;
  readonly concurrency: number;
  readonly maxPerTick: number;
  readonly executionTimeoutMs: number;
  readonly providerTimeoutMs: number;
  readonly providerMaxAttempts: number | undefined;
  private readonly providers: ReadonlyMap<string, ExecutionProvider>;
  /** Per tenant + configured provider: at most its `maxConcurrency` calls at once in this process. */
  private readonly providerSlots = new KeyedSemaphore();
  private readonly onEvent: ((event: WorkerEvent) => void) | undefined;
  private readonly outbound: OutboundPolicy;
  private readonly wakeOnSignal: boolean;
  private readonly ticks = new Set<Tick>();
  private readonly loop: IdleLoop;
  private nextRecoveryAt = 0;
  private lastTickStartedAt: number | null = null;
  private lastTickEndedAt: number | null = null;

  constructor(options: ExecutionWorkerOptions = {}) {
    this.id = `${hostname()}:${process.pid}:${randomBytes(4).toString("hex")}`;
    this.pollIntervalMs = positiveInt("pollIntervalMs", options.pollIntervalMs ?? DEFAULTS.pollIntervalMs, 0);
    this.maxAttempts = positiveInt("maxAttempts", options.maxAttempts ?? DEFAULTS.maxAttempts);
    this.leaseMs = positiveInt("leaseMs", options.leaseMs ?? DEFAULTS.leaseMs, 3);
    this.recoveryIntervalMs = positiveInt("recoveryIntervalMs", options.recoveryIntervalMs ?? DEFAULTS.recoveryIntervalMs);
    this.concurrency = positiveInt("concurrency", options.concurrency ?? DEFAULTS.concurrency);
    this.maxPerTick = positiveInt("maxPerTick", options.maxPerTick ?? DEFAULTS.maxPerTick);
    this.executionTimeoutMs = positiveInt(
      "executionTimeoutMs",
      options.executionTimeoutMs ?? Math.min(DEFAULTS.executionTimeoutMs, Math.floor((this.leaseMs * 2) / 3)),
    );
    if (this.executionTimeoutMs >= this.leaseMs) {
      throw new RangeError(
        `executionTimeoutMs (${this.executionTimeoutMs}) must be below leaseMs (${this.leaseMs}): ` +
          "otherwise a claim could expire while this worker still runs the execution, and another worker would run it too.",
      );
    }
    this.providerTimeoutMs = positiveInt("providerTimeoutMs", options.providerTimeoutMs ?? Math.min(DEFAULT_PROVIDER_TIMEOUT_MS, this.executionTimeoutMs));
    this.providerMaxAttempts = options.providerMaxAttempts === undefined ? undefined : positiveInt("providerMaxAttempts", options.providerMaxAttempts);
    this.providers = new Map(Object.entries(options.providers ?? {}));
    this.onEvent = options.onEvent;
    this.outbound = options.outbound ?? { allow: apiConfig().outboundAllow };
    this.wakeOnSignal = options.wakeOnSignal ?? true;
    this.loop = new IdleLoop({
      wakeOnSignal: this.wakeOnSignal,
      what: "executions",
      pass: async () => (await this.runOnce()).more,
      idleWaitMs: (wakeable) => this.idleWaitMs(wakeable),
      onError: (message) => this.emit({ type: "error", message }),
    });
  }

  /**
   * One stale-recovery pass now: in every tenant whose lease check is due (shared.sqlite's index,
   * whatever the tenant's status), executions whose lease expired go back to `pending` while
   * attempts < maxAttempts, else they fail with a clear error. Safe with several workers: a live
   * worker's executions hold unexpired leases. The shared migration that introduced the index made
   * every tenant due once, so executions left `running` by earlier versions are found too.
   */
  async recoverOnStartup(): Promise<RecoveryResult> {
    const { retried, failed, errors } = await this.recoverExpired();
    return { retried, failed, errors };
  }

  /**
   * One pass: stale recovery if it is due, then claims and runs pending executions of the marked
   * tenants (at most `maxPerTick`) until none is left. A failing provider fails only its
   * execution; a failing tenant (e.g. its database file is missing) is reported and skipped.
   */
  async runOnce(): Promise<TickResult> {
    this.lastTickStartedAt = Date.now();
    const tick: Tick = { halted: false, done: Promise.resolve() };
    const done = this.tick(tick);
    tick.done = done;
    this.ticks.add(tick);
    try {
      return await done;
    } finally {
      this.ticks.delete(tick);
      this.lastTickEndedAt = Date.now();
    }
  }

  /** Starts the loop (no-op if it runs). Errors of a tick are reported through onEvent. */
  start(): void {
    this.loop.start();
  }

  /**
   * Stops the loop: no new execution is claimed, and this waits for the in-flight tick (and any
   * direct `runOnce` call) to record the outcome of the executions it already claimed.
   */
  async stop(): Promise<void> {
    this.loop.halt();
    for (const tick of this.ticks) tick.halted = true;
    await this.loop.finished();
    await Promise.allSettled([...this.ticks].map((tick) => tick.done));
  }

  get running(): boolean {
    return this.loop.running;
  }

  /** What the status socket reports (status-socket.ts): is the loop on, when did it last look for work, is a pass under way. */
  status(): WorkerStatus {
    return {
      id: this.id,
      running: this.running,
      ticksInFlight: this.ticks.size,
      lastTickStartedAt: this.lastTickStartedAt,
      lastTickEndedAt: this.lastTickEndedAt,
    };
  }

  /**
   * How long an idle loop may sleep: until the next lease check is due (not before stale recovery
   * may run again), indefinitely when nothing runs anywhere, or the poll interval when signals
   * cannot reach this worker.
   */
  private async idleWaitMs(wakeable: boolean): Promise<number | null> {
    if (!wakeable) return this.pollIntervalMs;
    let leaseCheckAt: number | null;
    try {
      leaseCheckAt = await tenantWorkModel.nextLeaseCheckAt();
    } catch (error) {
      this.emit({ type: "error", message: `Reading the next lease check failed (looking again in ${this.pollIntervalMs} ms): ${errorMessage(error)}` });
      return this.pollIntervalMs;
    }
    if (leaseCheckAt === null) return null;
    return Math.max(0, Math.max(leaseCheckAt, this.nextRecoveryAt) - Date.now());
  }

  private async tick(tick: Tick): Promise<TickResult> {
    const result: TickResult = { processed: 0, completed: 0, failed: 0, recovered: { retried: 0, failed: 0 }, errors: [], more: false };
    if (Date.now() >= this.nextRecoveryAt) {
      const recovered = await this.recoverExpired();
      result.recovered = { retried: recovered.retried, failed: recovered.failed };
      result.errors.push(...recovered.errors);
      result.more = recovered.more;
    }
    if (tick.halted) return result;
    await this.claimRounds(tick, result);
    return result;
  }

  private async recoverExpired(): Promise<RecoveryResult & { more: boolean }> {
    const now = Date.now();
    const due = await tenantWorkModel.listDueLeaseChecks(now, RECOVERY_BATCH);
    const more = due.length === RECOVERY_BATCH;
    this.nextRecoveryAt = more ? now : now + this.recoveryIntervalMs;
    const result = { retried: 0, failed: 0, errors: [] as WorkerError[], more };
    for (const tenant of due) {
      const ref = { tenantId: tenant.tenantId, tenantSlug: tenant.slug };
      try {
        const recovered = await tenantContext.runWithTenant(tenant.tenantId, () => executionModel.recoverExpiredLeases(this.maxAttempts));
        result.retried += recovered.retried;
        result.failed += recovered.failed;
        for (const run of recovered.batchesCompleted) this.onBatchCompleted(ref, run);
        if (recovered.retried > 0 || recovered.failed > 0) this.emit({ type: "recovered", ...ref, retried: recovered.retried, failed: recovered.failed });
      } catch (error) {
        this.reportError(result.errors, ref, `Stale executions of tenant ${tenant.slug} could not be recovered: ${errorMessage(error)}`);
      }
    }
    return result;
  }

  /**
   * Claims in rounds over the marked tenants: lanes take tenants from a queue read from the index
   * (longest waiting first) and claim one execution each; an empty queue is read again, so
   * tenants marked meanwhile join the next round. Ends when the index lists no tenant left to try
   * or the budget (`maxPerTick`) is spent.
   */
  private async claimRounds(tick: Tick, result: TickResult): Promise<void> {
    let budget = this.maxPerTick;
    // Claims that found nothing cost no budget, but are bounded too (e.g. the one visit of every
    // tenant the index migration marked): the rest waits for the next tick, which follows at once.
    let visits = this.maxPerTick * VISITS_PER_CLAIM;
    const queue: PendingTenant[] = [];
    const failing = new Set<string>();
    let drained = false;
    const nextTenant = async (): Promise<PendingTenant | undefined> => {
      if (queue.length === 0 && !drained) {
        // Between rounds, let timers (lease heartbeats) and I/O run.
        await new Promise((resolve) => setImmediate(resolve));
        const listed = (await tenantWorkModel.listPending(this.maxPerTick + failing.size)).filter((tenant) => !failing.has(tenant.tenantId));
        if (listed.length === 0) drained = true;
        queue.push(...listed);
      }
      return queue.shift();
    };
    const lane = async () => {
      while (!tick.halted && budget > 0 && visits > 0) {
        const tenant = await nextTenant();
        if (!tenant) return;
        budget -= 1;
        visits -= 1;
        const ref = { tenantId: tenant.tenantId, tenantSlug: tenant.slug };
        try {
          const outcome = await tenantContext.runWithTenant(tenant.tenantId, () => this.claimAndRun(ref));
          if (outcome === null) {
            budget += 1;
            await tenantWorkModel.clearPending(tenant.tenantId, tenant.generation);
            continue;
          }
          result.processed += 1;
          if (outcome === "completed") result.completed += 1;
          else result.failed += 1;
        } catch (error) {
          // The tenant itself failed (its file, its schema, the database): skip it this tick, keep its mark.
          budget += 1;
          // Two lanes may have taken it before the first failed: report it once.
          if (failing.has(tenant.tenantId)) continue;
          failing.add(tenant.tenantId);
          this.reportError(result.errors, ref, `Executions of tenant ${tenant.slug} could not be processed: ${errorMessage(error)}`);
        }
      }
    };
    await Promise.all(Array.from({ length: this.concurrency }, lane));
    if ((budget <= 0 || visits <= 0) && !tick.halted) result.more = true;
  }

  /**
   * Inside the tenant's context: claims the next pending execution, runs it while renewing its
   * lease, records the outcome if the claim is still this worker's. Returns null when the tenant
   * has nothing pending. If recording the outcome itself fails (the database), this throws and the
   * execution stays `running` until its lease expires and stale recovery takes it.
   */
  private async claimAndRun(tenant: TenantRef): Promise<"completed" | "failed" | null> {
    const execution = await executionModel.claimNextPending({ workerId: this.id, leaseMs: this.leaseMs });
    if (!execution) return null;
    // Idle workers sleep until the next lease check they know of: tell them about this one, so
    // one of them recovers the execution if this process dies before recording it.
    signalWork(HybridDatabaseManager.getInstance().options.dataDir);
    const started = performance.now();
    const claim = { workerId: this.id, leaseMs: this.leaseMs, attempt: execution.attempts };
    const lost = new AbortController();
    const heartbeat = setInterval(() => void this.renewLease(tenant, execution.id, claim, lost), Math.max(1, Math.floor(this.leaseMs / 3)));
    let outcome: ExecutionOutcome;
    let operatorDetail: string | null = null;
    const measured: Measured = { usage: null, latencyMs: null, kind: null };
    try {
      const { output, responseSchema } = await this.execute(execution, lost.signal, measured);
      outcome = { result: output, ...validateResult(responseSchema, output) };
    } catch (error) {
      outcome = { error: errorMessage(error) };
      operatorDetail = outboundDetail(error);
    } finally {
      clearInterval(heartbeat);
    }
    outcome = { ...outcome, ...(await this.measures(tenant, execution, measured)) };
    const { row, batchCompleted } = await executionModel.finish(execution.id, outcome, claim);
    if (batchCompleted) this.onBatchCompleted(tenant, batchCompleted);
    const status = "result" in outcome ? "completed" : "failed";
    if (!row) {
      // The lease expired and recovery gave it back (maybe another worker runs it now), or it was deleted with its prompt.
      this.emit({
        type: "error",
        ...tenant,
        message: `Execution ${execution.id} was no longer held by this worker (${this.id}) when its outcome (${status}) was recorded; the outcome was dropped.`,
      });
    }
    this.emit({
      type: "execution",
      ...tenant,
      executionId: execution.id,
      provider: execution.provider,
      status,
      attempts: execution.attempts,
      durationMs: Math.round(performance.now() - started),
      error: "error" in outcome ? outcome.error : null,
      detail: operatorDetail,
      recorded: row !== null,
    });
    return status;
  }

  /**
   * The one place a batch run's completion leaves the worker: inside the tenant's context, after
   * the transaction that completed it committed (models/batch-run.ts, completeFinishedRuns). The
   * `batch.completed` webhook delivery is built here (the webhooks helper's builder).
   */
  private onBatchCompleted(tenant: TenantRef, run: BatchRunRow): void {
    this.emit({ type: "batch.completed", ...tenant, batchRunId: run.id, total: run.total });
  }

  /** The heartbeat: a lost claim aborts the execution (its outcome would be dropped anyway). */
  private async renewLease(
    tenant: TenantRef,
    executionId: string,
    claim: { workerId: string; leaseMs: number; attempt: number },
    lost: AbortController,
  ): Promise<void> {
    if (lost.signal.aborted) return;
    try {
      if (!(await executionModel.renewLease(executionId, claim))) {
        lost.abort(new ExecutionFailure(`This worker's claim on the execution expired; it was stopped.`));
      }
    } catch (error) {
      this.emit({ type: "error", ...tenant, message: `The lease of execution ${executionId} could not be renewed: ${errorMessage(error)}` });
    }
  }

  /**
   * Tokens and cost of a finished execution: the provider's usage, priced with the price table
   * in force now (services/pricing/prices.ts), so a price change applies to executions finishing
   * after it. A price table that cannot be read leaves the cost empty rather than failing the run.
   */
  private async measures(tenant: TenantRef, execution: ExecutionRow, measured: Measured): Promise<ExecutionMeasures> {
    const usage = validUsage(measured.usage);
    if (!usage || measured.kind === null) return { latencyMs: measured.latencyMs };
    let costUsd: number | null = null;
    try {
      costUsd = await executionCost(measured.kind, execution.model, usage);
    } catch (error) {
      this.emit({ type: "error", ...tenant, message: `The cost of execution ${execution.id} could not be computed: ${errorMessage(error)}` });
    }
    return { inputTokens: usage.inputTokens, outputTokens: usage.outputTokens, costUsd, latencyMs: measured.latencyMs };
  }

  /**
   * Builds the provider request from the tenant's data and runs it under the execution deadline,
   * once a slot of the tenant's provider is free (its maxConcurrency). `measured` receives the
   * provider's usage and the latency of the provider call (waiting for a slot not included).
   */
  private async execute(
    execution: ExecutionRow,
    abandon: AbortSignal,
    measured: Measured,
  ): Promise<{ output: string; responseSchema: Record<string, unknown> | null }> {
    const version = await promptModel.getVersion(execution.promptId, execution.promptVersion);
    if (!version) {
      throw new ExecutionFailure(`Version ${execution.promptVersion} of prompt ${execution.promptId} does not exist.`);
    }
    const input: unknown = execution.input;
    if (typeof input !== "object" || input === null || Array.isArray(input)) {
      throw new ExecutionFailure("The execution's input must be a JSON object of template variables.");
    }
    const fileIds = execution.fileIds;
    if (fileIds.length > 0 && !version.acceptsFiles) {
      throw new ExecutionFailure(`Prompt "${version.name}" (version ${version.version}) does not accept files, but ${fileIds.length} file(s) were attached.`);
    }
    const files: ProviderFile[] = [];
    for (const fileId of fileIds) {
      const file = await fileModel.findById(fileId);
      if (!file) throw new ExecutionFailure(`The attached file ${fileId} does not exist (it may have been deleted).`);
      files.push({ name: file.name, mimeType: file.mimeType, content: file.content });
    }
    const resolved = await this.resolveProvider(execution.provider);
    const { provider } = resolved;
    measured.kind = provider.kind;
    const options = await this.runOptions(execution, provider.kind);
    const request: ProviderRequest = {
      template: version.template,
      input: input as Record<string, unknown>,
      model: execution.model,
      files,
      options,
      responseSchema: version.responseSchema,
    };
    const release =
      resolved.maxConcurrency === null
        ? () => undefined
        : await this.providerSlots.acquire(
            `${tenantContext.getCurrentTenantId("worker.providerSlots")}\u0000${provider.name}`,
            resolved.maxConcurrency,
            abandon,
          );
    try {
      const started = performance.now();
      try {
        const result = await withDeadline(this.executionTimeoutMs, provider.name, abandon, (signal) => provider.run(request, signal));
        if (typeof result.output !== "string") {
          throw new ExecutionFailure(`Provider "${provider.name}" returned no text output.`);
        }
        measured.usage = result.usage;
        return { output: result.output, responseSchema: version.responseSchema };
      } finally {
        measured.latencyMs = Math.round(performance.now() - started);
      }
    } finally {
      release();
    }
  }

  /**
   * The execution's own options; an execution created before executions stored options takes its
   * deployment's. Checked against the provider kind's schema, so an unknown or out-of-range option
   * (e.g. saved before the schema existed) fails the execution instead of being sent.
   */
  private async runOptions(execution: ExecutionRow, kind: string): Promise<Record<string, unknown>> {
    let options = execution.options;
    if (Object.keys(options).length === 0 && execution.deploymentId) {
      const deployment = await deploymentModel.findById(execution.deploymentId);
      if (deployment) options = deployment.options;
    }
    if (isOptionsKind(kind)) {
      const problem = providerOptionsProblem(kind, options);
      if (problem) throw new ExecutionFailure(problem);
    }
    return options;
  }

  /**
   * Must run inside the execution's tenant context (provider settings are the tenant's). A
   * configured provider comes with its concurrency limit; a deactivated one fails the execution.
   */
  private async resolveProvider(name: string): Promise<{ provider: ExecutionProvider; maxConcurrency: number | null }> {
    const override = this.providers.get(name);
    if (override) return { provider: override, maxConcurrency: null };
    if (name === TEMPLATE_PROVIDER) return { provider: templateProvider, maxConcurrency: null };
    const settings = await loadProviderSettings(name);
    if (!settings.active) {
      throw new ExecutionFailure(`Provider "${name}" is deactivated in this workspace's settings; an admin must activate it before its executions can run.`);
    }
    const provider = new HttpProvider(name, settings, {
      timeoutMs: this.providerTimeoutMs,
      outbound: this.outbound,
      budgetMs: this.executionTimeoutMs,
      ...(this.providerMaxAttempts === undefined ? {} : { maxAttempts: this.providerMaxAttempts }),
    });
    return { provider, maxConcurrency: settings.maxConcurrency };
  }

  private reportError(errors: WorkerError[], tenant: TenantRef, message: string): void {
    const error = { ...tenant, message };
    errors.push(error);
    this.emit({ type: "error", ...error });
  }

  private emit(event: WorkerEvent): void {
    try {
      this.onEvent?.(event);
    } catch {
      // A broken logger must not stop executions from being recorded.
    }
  }
}

interface Measured {
  usage: TokenUsage | null;
  latencyMs: number | null;
  /** The provider module that ran (for the price), once resolved. */
  kind: string | null;
}

/** The usage a provider reported, if it is two whole, non-negative token counts; anything else counts as none. */
function validUsage(usage: TokenUsage | null): TokenUsage | null {
  if (!usage) return null;
  const count = (n: unknown) => typeof n === "number" && Number.isSafeInteger(n) && n >= 0;
  return count(usage.inputTokens) && count(usage.outputTokens) ? { inputTokens: usage.inputTokens, outputTokens: usage.outputTokens } : null;
}

const OPTION_KINDS = new Set<string>(["template", ...PROVIDER_KINDS]);
function isOptionsKind(kind: string): kind is ProviderOptionsKind {
  return OPTION_KINDS.has(kind);
}

/** The outbound guard's reason behind a provider failure, if that is what failed. */
function outboundDetail(error: unknown): string | null {
  const cause = error instanceof Error ? error.cause : undefined;
  return cause instanceof OutboundUnreachableError ? cause.detail : null;
}

function positiveInt(name: string, value: number, min = 1): number {
  if (!Number.isInteger(value) || value < min) {
    throw new RangeError(`ExecutionWorker: ${name} must be a whole number ≥ ${min}; got ${String(value)}.`);
  }
  return value;
}
