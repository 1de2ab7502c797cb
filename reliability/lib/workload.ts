/**
 * The load: virtual users that each pick a tenant from a Zipf distribution (a few hot tenants, a
 * long tail, like a real installation) and an operation from a mix, with session cookies for
 * prompt writes (API keys may not write prompts) and API keys for executions and reads. Every
 * answer is checked as it arrives:
 * - 5xx, or a lost connection while the server should be up, is a failure;
 * - a 4xx is a failure unless the operation explains it (404 updating a prompt being deleted);
 * - a prompt list must show at least the prompts acknowledged before it was sent, minus deletes
 *   sent before it answered (a half-migrated or rolled-back table would show fewer);
 * - an acknowledged execution must be readable at once; a foreign tenant's API key must get 403.
 */
import { callProcedure, type CallOutcome, type Credentials, type TimedCall } from "./api.ts";
import type { Ledger, TenantRef } from "./ledger.ts";

export interface LoadTenant extends TenantRef {
  baseUrl: string;
  cookie: string;
  apiKey: string;
  anchorPromptId: string;
}

export type Operation = "prompt.create" | "prompt.update" | "prompt.delete" | "execution.create" | "prompt.list" | "execution.get" | "foreign-key.probe";

export const DEFAULT_MIX: Record<Operation, number> = {
  "prompt.create": 28,
  "prompt.update": 10,
  "prompt.delete": 4,
  "execution.create": 20,
  "prompt.list": 24,
  "execution.get": 10,
  "foreign-key.probe": 4,
};

export interface RequestRecord {
  phase: string;
  op: Operation;
  tenant: string;
  /** HTTP status, or "refused" / "broken" when no answer came. */
  status: number | "refused" | "broken";
  startedAt: number;
  endedAt: number;
  /** Why the answer counts as a failure (undefined: it is fine). */
  failure: string | undefined;
}

export interface WorkloadOptions {
  phase: string;
  tenants: readonly LoadTenant[];
  ledger: Ledger;
  concurrency: number;
  mix?: Partial<Record<Operation, number>>;
  /** The servers are killed on purpose meanwhile: refused and broken connections are expected. */
  serverMayBeDown?: boolean;
  random: () => number;
  /** Share of executions run by the provider "slow" (lib/slow-model.ts) instead of the template provider. */
  slowShare?: number;
  /** Zipf exponent (1: the classic 1/rank). */
  zipfExponent?: number;
}

/** A sampler of tenant ranks 0..n-1 with P(k) ∝ 1/(k+1)^s. */
export function zipfSampler(n: number, exponent: number, random: () => number): () => number {
  const weights = Array.from({ length: n }, (_, k) => 1 / (k + 1) ** exponent);
  const total = weights.reduce((a, b) => a + b, 0);
  const cdf: number[] = [];
  let acc = 0;
  for (const w of weights) cdf.push((acc += w / total));
  return () => {
    const u = random();
    const index = cdf.findIndex((c) => u <= c);
    return index === -1 ? n - 1 : index;
  };
}

/** mulberry32: a small seeded generator, so a run's tenant and operation choices can be replayed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class Workload {
  readonly records: RequestRecord[] = [];
  private stopped = false;
  private running: Promise<void> | undefined;
  private readonly pickTenant: () => number;
  private readonly mix: [Operation, number][];

  constructor(private readonly options: WorkloadOptions) {
    this.pickTenant = zipfSampler(options.tenants.length, options.zipfExponent ?? 1, options.random);
    this.mix = Object.entries({ ...DEFAULT_MIX, ...options.mix }).filter(([, weight]) => weight > 0) as [Operation, number][];
  }

  start(): void {
    this.running = Promise.all(Array.from({ length: this.options.concurrency }, () => this.virtualUser())).then(() => undefined);
  }

  async stop(): Promise<RequestRecord[]> {
    this.stopped = true;
    await this.running;
    return this.records;
  }

  async runFor(ms: number): Promise<RequestRecord[]> {
    this.start();
    await new Promise((resolve) => setTimeout(resolve, ms));
    return this.stop();
  }

  private pickOperation(): Operation {
    const total = this.mix.reduce((a, [, w]) => a + w, 0);
    let u = this.options.random() * total;
    for (const [op, weight] of this.mix) {
      if ((u -= weight) <= 0) return op;
    }
    return "prompt.list";
  }

  private async virtualUser(): Promise<void> {
    while (!this.stopped) {
      const tenant = this.options.tenants[this.pickTenant()];
      if (!tenant) continue;
      const record = await this.perform(this.pickOperation(), tenant);
      this.records.push(record);
      // While the servers are down, do not spin on refused connections.
      if (record.status === "refused") await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  private record(op: Operation, tenant: LoadTenant, call: TimedCall, failure: string | undefined): RequestRecord {
    const { outcome } = call;
    const status = outcome.kind === "answered" ? outcome.status : outcome.kind;
    let reason = failure;
    if (outcome.kind === "answered" && outcome.status >= 500) reason = `HTTP ${outcome.status}: ${outcome.message ?? ""}`;
    else if (outcome.kind !== "answered" && !this.options.serverMayBeDown) reason = `${outcome.kind}: ${outcome.message}`;
    return { phase: this.options.phase, op, tenant: tenant.slug, status, startedAt: call.startedAt, endedAt: call.endedAt, failure: reason };
  }

  private async perform(op: Operation, tenant: LoadTenant): Promise<RequestRecord> {
    const ledger = this.options.ledger.of(tenant);
    const cookie: Credentials = { baseUrl: tenant.baseUrl, cookie: tenant.cookie };
    const key: Credentials = { baseUrl: tenant.baseUrl, apiKey: tenant.apiKey };
    switch (op) {
      case "prompt.create": {
        const name = ledger.nextName("p");
        const call = await callProcedure(cookie, "mutation", "prompts.create", { name, template: `Hello {{who}} from ${name}` });
        const data = success<{ id: string }>(call.outcome);
        if (data) this.options.ledger.promptCreated(tenant, data.id, name);
        else if (maybeWritten(call.outcome)) ledger.unknownCreates.add(name);
        return this.record(op, tenant, call, unexpected4xx(call.outcome, []));
      }
      case "prompt.update": {
        const prompt = pick(ledger.livePrompts(), this.options.random);
        if (!prompt) return this.perform("prompt.create", tenant);
        const call = await callProcedure(cookie, "mutation", "prompts.update", { id: prompt.id, template: `Hello {{who}} from ${ledger.nextName("u")}` });
        if (success(call.outcome)) {
          prompt.ackedVersions += 1;
          this.options.ledger.log(tenant, "prompt.update", prompt.id, { versions: prompt.ackedVersions });
        } else if (maybeWritten(call.outcome)) prompt.unknownUpdates += 1;
        // Deleted meanwhile by another virtual user: a 404 is the right answer then.
        const allowed = prompt.deletion === "none" ? [] : [404];
        return this.record(op, tenant, call, unexpected4xx(call.outcome, allowed));
      }
      case "prompt.delete": {
        const prompt = pick(
          ledger.livePrompts().filter((p) => !p.anchor),
          this.options.random,
        );
        if (!prompt) return this.perform("prompt.create", tenant);
        prompt.deletion = "sent";
        ledger.deletesSent += 1;
        const call = await callProcedure(cookie, "mutation", "prompts.delete", { id: prompt.id });
        if (success(call.outcome)) {
          prompt.deletion = "acked";
          this.options.ledger.log(tenant, "prompt.delete", prompt.id);
        } else if (maybeWritten(call.outcome)) prompt.deletion = "unknown";
        else prompt.deletion = "none";
        if (prompt.deletion === "none") ledger.deletesSent -= 1;
        return this.record(op, tenant, call, unexpected4xx(call.outcome, []));
      }
      case "execution.create": {
        const provider = this.options.random() < (this.options.slowShare ?? 0) ? "slow" : "template";
        const call = await callProcedure(key, "mutation", "executions.create", {
          promptId: tenant.anchorPromptId,
          input: { who: ledger.nextName("e") },
          provider,
        });
        const data = success<{ id: string }>(call.outcome);
        if (data) this.options.ledger.executionCreated(tenant, data.id);
        else if (maybeWritten(call.outcome)) ledger.unknownExecutions += 1;
        return this.record(op, tenant, call, unexpected4xx(call.outcome, []));
      }
      case "prompt.list": {
        const atLeast = ledger.ackedCreates;
        const credentials = this.options.random() < 0.5 ? cookie : key;
        const call = await callProcedure(credentials, "query", "prompts.list", { pageSize: 1 });
        const data = success<{ total: number }>(call.outcome);
        const floor = atLeast - ledger.deletesSent;
        const stale = data && data.total < floor ? `prompts.list total ${data.total} < ${floor} acknowledged before the read` : undefined;
        return this.record(op, tenant, call, stale ?? unexpected4xx(call.outcome, []));
      }
      case "execution.get": {
        const id = pick([...ledger.executions], this.options.random);
        if (!id) return this.perform("execution.create", tenant);
        const call = await callProcedure(key, "query", "executions.get", { id });
        const lost = call.outcome.kind === "answered" && call.outcome.status === 404 ? `acknowledged execution ${id} not found` : undefined;
        return this.record(op, tenant, call, lost ?? unexpected4xx(call.outcome, []));
      }
      case "foreign-key.probe": {
        const others = this.options.tenants.filter((t) => t.slug !== tenant.slug);
        const owner = pick(others, this.options.random) ?? tenant;
        const call = await callProcedure({ baseUrl: tenant.baseUrl, apiKey: owner.apiKey }, "query", "prompts.list", { pageSize: 1 });
        const o = call.outcome;
        const leak = o.kind === "answered" && o.status < 400 ? `${owner.slug}'s API key was accepted on ${tenant.slug} (HTTP ${o.status})` : undefined;
        return this.record(op, tenant, call, leak ?? unexpected4xx(o, [403]));
      }
    }
  }
}

function pick<T>(items: readonly T[], random: () => number): T | undefined {
  return items.length === 0 ? undefined : items[Math.floor(random() * items.length)];
}

function success<T>(outcome: CallOutcome): T | undefined {
  return outcome.kind === "answered" && outcome.status >= 200 && outcome.status < 300 ? (outcome.data as T) : undefined;
}

/** No answer after the request went out, or a 5xx: the write may or may not have happened. */
function maybeWritten(outcome: CallOutcome): boolean {
  return outcome.kind === "broken" || (outcome.kind === "answered" && outcome.status >= 500);
}

function unexpected4xx(outcome: CallOutcome, allowed: readonly number[]): string | undefined {
  if (outcome.kind !== "answered" || outcome.status < 400 || outcome.status >= 500) return undefined;
  if (allowed.includes(outcome.status)) return undefined;
  return `unexpected HTTP ${outcome.status}: ${outcome.message ?? ""}`;
}
