import { setTimeout as sleep } from "node:timers/promises";
import { deploymentModel, executionModel, fileModel, promptModel, tenantContext, tenantModel, type ExecutionRow, type TenantRow } from "@sigil/db";
import { apiConfig } from "../config.ts";
import { OutboundUnreachableError, type OutboundPolicy } from "../outbound/request.ts";
import { TEMPLATE_PROVIDER } from "../services/executions.ts";
import { loadProviderSettings, OpenAICompatibleProvider, DEFAULT_PROVIDER_TIMEOUT_MS } from "./openai-provider.ts";
import { errorMessage, ExecutionFailure, type ExecutionProvider, type ProviderFile, type ProviderRequest } from "./provider.ts";
import { templateProvider } from "./template-provider.ts";

export interface ExecutionWorkerOptions {
  /**
   * Providers by the name an execution's `provider` field uses; they take precedence over the
   * built-in `template` provider and over the tenant's OpenAI-compatible provider settings.
   */
  providers?: Record<string, ExecutionProvider>;
  /** Pause between two ticks of the polling loop when the last one found no more work (default 1 s). */
  pollIntervalMs?: number;
  /** Claims (first run plus retries after a crash) before a stale execution is failed (default 3). */
  maxAttempts?: number;
  /** An execution `running` for longer than this counts as abandoned by a dead worker (default 10 min). */
  staleAfterMs?: number;
  /** Executions run at the same time within one tick, across tenants (default 4). */
  concurrency?: number;
  /** Executions one tick claims at most; the loop starts the next tick at once if it hit this (default 100). */
  maxPerTick?: number;
  /** Timeout of one HTTP call of the OpenAI-compatible provider (default 60 s, at most executionTimeoutMs). */
  providerTimeoutMs?: number;
  /**
   * The worker stops waiting for a provider after this long and fails the execution, even if the
   * provider ignores its abort signal (default 2 min, at most half of staleAfterMs). Must be below
   * staleAfterMs, so stale recovery never takes an execution that this worker is still running.
   */
  executionTimeoutMs?: number;
  /** Called for every processed execution, every recovery and every error; must not throw (it is guarded). */
  onEvent?: (event: WorkerEvent) => void;
  /**
   * Where the OpenAI-compatible provider may connect besides public addresses (default: the
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
    })
  | (TenantRef & { type: "recovered"; retried: number; failed: number })
  | (Partial<TenantRef> & { type: "error"; message: string });

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
  /** Stale executions recovered at the start of the tick. */
  recovered: { retried: number; failed: number };
  errors: WorkerError[];
}

interface Tick {
  halted: boolean;
  done: Promise<unknown>;
}

const DEFAULTS = {
  pollIntervalMs: 1_000,
  maxAttempts: 3,
  staleAfterMs: 10 * 60_000,
  concurrency: 4,
  maxPerTick: 100,
  executionTimeoutMs: 2 * 60_000,
};

/**
 * Takes pending executions and runs them through a provider.
 *
 * Tenancy: the worker is background work, so it never inherits a tenant context. It lists the
 * tenants from the registry and opens `tenantContext.runWithTenant(tenant.id, …)` itself,
 * once per stale-recovery pass and once per execution; everything an execution reads (prompt
 * version, files, deployment options, provider settings) is read inside that context.
 *
 * Fairness: a tick visits tenants round-robin, one execution at a time each, so one tenant's
 * backlog does not starve the others; `concurrency` executions run in parallel.
 *
 * Crashes: `claimNextPending` moves an execution to `running` atomically and counts the attempt.
 * A worker that dies leaves it `running`; `recoverOnStartup` (all `running` executions, for a
 * process that is the only worker of its data directory) and every tick (executions running
 * longer than `staleAfterMs`) put it back to `pending` while attempts < maxAttempts, else fail it.
 * Recovery visits every tenant, suspended and inactive ones too: a tenant suspended while its
 * executions ran must find them `pending` (or failed) when it is reactivated, not `running` until
 * they go stale. Only active tenants' executions are claimed and run.
 */
export class ExecutionWorker {
  readonly pollIntervalMs: number;
  readonly maxAttempts: number;
  readonly staleAfterMs: number;
  readonly concurrency: number;
  readonly maxPerTick: number;
  readonly executionTimeoutMs: number;
  readonly providerTimeoutMs: number;
  private readonly providers: ReadonlyMap<string, ExecutionProvider>;
  private readonly onEvent: ((event: WorkerEvent) => void) | undefined;
  private readonly outbound: OutboundPolicy;
  private readonly ticks = new Set<Tick>();
  private loop: Promise<void> | undefined;
  private loopStop: AbortController | undefined;

  constructor(options: ExecutionWorkerOptions = {}) {
    this.pollIntervalMs = positiveInt("pollIntervalMs", options.pollIntervalMs ?? DEFAULTS.pollIntervalMs, 0);
    this.maxAttempts = positiveInt("maxAttempts", options.maxAttempts ?? DEFAULTS.maxAttempts);
    this.staleAfterMs = positiveInt("staleAfterMs", options.staleAfterMs ?? DEFAULTS.staleAfterMs);
    this.concurrency = positiveInt("concurrency", options.concurrency ?? DEFAULTS.concurrency);
    this.maxPerTick = positiveInt("maxPerTick", options.maxPerTick ?? DEFAULTS.maxPerTick);
    this.executionTimeoutMs = positiveInt(
      "executionTimeoutMs",
      options.executionTimeoutMs ?? Math.min(DEFAULTS.executionTimeoutMs, Math.floor(this.staleAfterMs / 2)),
    );
    if (this.executionTimeoutMs >= this.staleAfterMs) {
      throw new RangeError(
        `executionTimeoutMs (${this.executionTimeoutMs}) must be below staleAfterMs (${this.staleAfterMs}): ` +
          "otherwise stale recovery could hand a still-running execution to another worker.",
      );
    }
    this.providerTimeoutMs = positiveInt("providerTimeoutMs", options.providerTimeoutMs ?? Math.min(DEFAULT_PROVIDER_TIMEOUT_MS, this.executionTimeoutMs));
    this.providers = new Map(Object.entries(options.providers ?? {}));
    this.onEvent = options.onEvent;
    this.outbound = options.outbound ?? { allow: apiConfig().outboundAllow };
  }

  /**
   * For a worker process that starts: every execution left `running` (by a worker that crashed
   * or was killed) goes back to `pending` while attempts < maxAttempts, else it fails with a clear
   * error. Assumes this is the only worker of the data directory; with several worker processes,
   * pass `startedBefore` (e.g. now − staleAfterMs) so live workers' executions are left alone.
   */
  async recoverOnStartup(options: { startedBefore?: Date } = {}): Promise<RecoveryResult> {
    const startedBefore = options.startedBefore ?? new Date();
    const tenants = await tenantsToRecover();
    const result: RecoveryResult = { retried: 0, failed: 0, errors: [] };
    for (const tenant of tenants) {
      const recovered = await this.recoverTenant(tenant, startedBefore, result.errors);
      result.retried += recovered.retried;
      result.failed += recovered.failed;
    }
    return result;
  }

  /**
   * One pass: recovers stale executions of every tenant, then claims and runs pending
   * executions (at most `maxPerTick`) until none is left. A failing provider fails only its
   * execution; a failing tenant (e.g. its database file is missing) is reported and skipped.
   */
  async runOnce(): Promise<TickResult> {
    const tick: Tick = { halted: false, done: Promise.resolve() };
    const done = this.tick(tick);
    tick.done = done;
    this.ticks.add(tick);
    try {
      return await done;
    } finally {
      this.ticks.delete(tick);
    }
  }

  /** Starts the polling loop (no-op if it runs). Errors of a tick are reported through onEvent. */
  start(): void {
    if (this.loop) return;
    const stop = new AbortController();
    this.loopStop = stop;
    this.loop = this.runLoop(stop.signal);
  }

  /**
   * Stops the loop: no new execution is claimed, and this waits for the in-flight tick (and any
   * direct `runOnce` call) to record the outcome of the executions it already claimed.
   */
  async stop(): Promise<void> {
    this.loopStop?.abort();
    for (const tick of this.ticks) tick.halted = true;
    await this.loop;
    await Promise.allSettled([...this.ticks].map((tick) => tick.done));
    this.loop = undefined;
    this.loopStop = undefined;
  }

  get running(): boolean {
    return this.loop !== undefined;
  }

  private async runLoop(stop: AbortSignal): Promise<void> {
    while (!stop.aborted) {
      let more = false;
      try {
        const result = await this.runOnce();
        more = result.processed >= this.maxPerTick;
      } catch (error) {
        this.emit({ type: "error", message: `Worker tick failed: ${errorMessage(error)}` });
      }
      if (stop.aborted) break;
      if (!more) {
        try {
          await sleep(this.pollIntervalMs, undefined, { signal: stop });
        } catch {
          break; // stop() aborted the pause
        }
      }
    }
  }

  private async tick(tick: Tick): Promise<TickResult> {
    const result: TickResult = { processed: 0, completed: 0, failed: 0, recovered: { retried: 0, failed: 0 }, errors: [] };
    const tenants = await tenantsToRecover();
    const staleBefore = new Date(Date.now() - this.staleAfterMs);
    const withWork: TenantRow[] = [];
    for (const tenant of tenants) {
      if (tick.halted) return result;
      const recovered = await this.recoverTenant(tenant, staleBefore, result.errors);
      result.recovered.retried += recovered.retried;
      result.recovered.failed += recovered.failed;
      if (recovered.ok && tenant.status === "active") withWork.push(tenant);
    }

    // Round-robin over tenants that may still have pending executions.
    let cursor = 0;
    let budget = this.maxPerTick;
    const nextTenant = (): TenantRow | undefined => {
      if (withWork.length === 0) return undefined;
      cursor %= withWork.length;
      const tenant = withWork[cursor];
      cursor += 1;
      return tenant;
    };
    const drop = (tenant: TenantRow) => {
      const index = withWork.indexOf(tenant);
      if (index === -1) return;
      withWork.splice(index, 1);
      if (index < cursor) cursor -= 1;
    };
    const lane = async () => {
      while (!tick.halted && budget > 0) {
        const tenant = nextTenant();
        if (!tenant) return;
        budget -= 1;
        try {
          const outcome = await tenantContext.runWithTenant(tenant.id, () => this.claimAndRun(tenant));
          if (outcome === null) {
            budget += 1;
            drop(tenant);
            continue;
          }
          result.processed += 1;
          if (outcome === "completed") result.completed += 1;
          else result.failed += 1;
        } catch (error) {
          // The tenant itself failed (its file, its schema, the database): skip it this tick.
          budget += 1;
          drop(tenant);
          this.reportError(result.errors, tenant, `Executions of tenant ${tenant.slug} could not be processed: ${errorMessage(error)}`);
        }
      }
    };
    await Promise.all(Array.from({ length: this.concurrency }, lane));
    return result;
  }

  private async recoverTenant(tenant: TenantRow, startedBefore: Date, errors: WorkerError[]): Promise<{ ok: boolean; retried: number; failed: number }> {
    try {
      const recovered = await tenantContext.runWithTenant(tenant.id, () => executionModel.recoverStale(startedBefore, this.maxAttempts));
      if (recovered.retried > 0 || recovered.failed > 0) {
        this.emit({ type: "recovered", tenantId: tenant.id, tenantSlug: tenant.slug, ...recovered });
      }
      return { ok: true, ...recovered };
    } catch (error) {
      this.reportError(errors, tenant, `Stale executions of tenant ${tenant.slug} could not be recovered: ${errorMessage(error)}`);
      return { ok: false, retried: 0, failed: 0 };
    }
  }

  /**
   * Inside the tenant's context: claims the next pending execution, runs it, records the outcome.
   * Returns null when the tenant has nothing pending. If recording the outcome itself fails (the
   * database), this throws and the execution stays `running` until stale recovery takes it.
   */
  private async claimAndRun(tenant: TenantRow): Promise<"completed" | "failed" | null> {
    const execution = await executionModel.claimNextPending();
    if (!execution) return null;
    const started = performance.now();
    let outcome: { result: string } | { error: string };
    let operatorDetail: string | null = null;
    try {
      outcome = { result: await this.execute(execution) };
    } catch (error) {
      outcome = { error: errorMessage(error) };
      operatorDetail = outboundDetail(error);
    }
    const row = await executionModel.finish(execution.id, outcome, execution.attempts);
    const status = "result" in outcome ? "completed" : "failed";
    if (!row) {
      // Someone else settled it meanwhile (deleted with its prompt, or recovered by another worker).
      this.emit({
        type: "error",
        tenantId: tenant.id,
        tenantSlug: tenant.slug,
        message: `Execution ${execution.id} was no longer running when its outcome (${status}) was recorded; the outcome was dropped.`,
      });
    }
    this.emit({
      type: "execution",
      tenantId: tenant.id,
      tenantSlug: tenant.slug,
      executionId: execution.id,
      provider: execution.provider,
      status,
      attempts: execution.attempts,
      durationMs: Math.round(performance.now() - started),
      error: "error" in outcome ? outcome.error : null,
      detail: operatorDetail,
    });
    return status;
  }

  /** Builds the provider request from the tenant's data and runs it under the execution deadline. */
  private async execute(execution: ExecutionRow): Promise<string> {
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
    let options: Record<string, unknown> = {};
    if (execution.deploymentId) {
      const deployment = await deploymentModel.findById(execution.deploymentId);
      if (deployment) options = deployment.options;
    }
    const request: ProviderRequest = {
      template: version.template,
      input: input as Record<string, unknown>,
      model: execution.model,
      files,
      options,
      responseSchema: version.responseSchema,
    };
    const provider = await this.resolveProvider(execution.provider);
    const result = await withDeadline(this.executionTimeoutMs, provider.name, (signal) => provider.run(request, signal));
    if (typeof result.output !== "string") {
      throw new ExecutionFailure(`Provider "${provider.name}" returned no text output.`);
    }
    return result.output;
  }

  /** Must run inside the execution's tenant context (provider settings are the tenant's). */
  private async resolveProvider(name: string): Promise<ExecutionProvider> {
    const override = this.providers.get(name);
    if (override) return override;
    if (name === TEMPLATE_PROVIDER) return templateProvider;
    const settings = await loadProviderSettings(name);
    return new OpenAICompatibleProvider(name, settings, { timeoutMs: this.providerTimeoutMs, outbound: this.outbound });
  }

  private reportError(errors: WorkerError[], tenant: TenantRow, message: string): void {
    const error = { tenantId: tenant.id, tenantSlug: tenant.slug, message };
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

/**
 * Runs `fn` with a signal that aborts after `ms`, and stops waiting then even if `fn` ignores the
 * signal. The timer is a ref'd setTimeout on purpose: a provider that hangs without holding any
 * handle must not let the process exit with its execution left `running`.
 */
async function withDeadline<T>(ms: number, providerName: string, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new ExecutionFailure(`Provider "${providerName}" did not finish within ${ms} ms; the execution was stopped.`);
      controller.abort(error);
      reject(error);
    }, ms);
  });
  try {
    return await Promise.race([fn(controller.signal), deadline]);
  } finally {
    clearTimeout(timer);
  }
}

/** The outbound guard's reason behind a provider failure, if that is what failed. */
function outboundDetail(error: unknown): string | null {
  const cause = error instanceof Error ? error.cause : undefined;
  return cause instanceof OutboundUnreachableError ? cause.detail : null;
}

/** Every tenant in the registry, whatever its status: recovery must not skip suspended ones. */
async function tenantsToRecover(): Promise<TenantRow[]> {
  return tenantModel.findMany({ orderBy: { column: "createdAt" } });
}

function positiveInt(name: string, value: number, min = 1): number {
  if (!Number.isInteger(value) || value < min) {
    throw new RangeError(`ExecutionWorker: ${name} must be a whole number ≥ ${min}; got ${String(value)}.`);
  }
  return value;
}
