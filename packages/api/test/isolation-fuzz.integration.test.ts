import fc from "fast-check";
import { afterAll, beforeAll, expect, test } from "vitest";
import { startFakeOpenAI, type FakeProvider } from "./fakes/index.ts";
import { call, createTenantWithUsers, login, useTestEnv, type CallOptions, type CallResult, type TestEnv } from "./harness.ts";

/**
 * Isolation fuzz: ≥ 20 tenants, ≥ 10,000 random operations over every tenant router through the
 * HTTP handler, run in concurrent batches, checked against a model of the expected state. No
 * response may contain another tenant's data (its marker or any of its ids), and no write may
 * land in another tenant — including requests that use other tenants' ids, sessions and API keys.
 *
 * Settings (providers and webhooks) live in shared.sqlite, scoped by tenant_id: every tenant
 * uses the same few identifiers, so an upsert, read or delete that ignored the tenant would
 * change or show another tenant's row. Provider keys are checked only through what the API
 * returns (apiKeySet and the last 4 characters), never through the stored bytes. Model lists and
 * "test connection" call a local fake provider under each tenant's own path: every call it got
 * must carry that tenant's key, and another tenant's provider identifiers answer 404.
 */
const TENANTS = 20;
const RUNS = 5;
const OPS_PER_RUN = 3_000;
const BATCH = 8;
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;

interface ProviderState {
  kind: string;
  baseUrl: string;
  defaultModel: string;
  apiKeyHint: string;
  active: boolean;
  maxConcurrency: number;
}
/** The provider every tenant has, on the fake server: the one model lists and connection tests reach. */
const FAKE_PROVIDER = "fake";
const KEYED_KINDS = ["openai", "anthropic", "gemini", "openai-responses"] as const;
let fakeServer: FakeProvider;
let savedAllow: string | undefined;
const fakeKey = (slug: string) => `sk-${slug}-fake-key`;
interface WebhookState {
  url: string;
  events: string[];
}

interface World {
  slug: string;
  marker: string;
  cookie: string;
  apiKey: string;
  prompts: Map<string, { name: string; template: string; version: number }>;
  files: Map<string, { name: string; size: number }>;
  deployments: Map<string, { name: string; promptId: string }>;
  /** Execution id → its prompt (deleting a prompt deletes its executions and deployments). */
  executions: Map<string, string>;
  /** Comment id → its execution (deleting an execution's prompt deletes its comments). */
  comments: Map<string, string>;
  /** Executions starred, and cancelled (the fuzz runs no worker: they stay pending until cancelled). */
  starred: Set<string>;
  cancelled: Set<string>;
  providers: Map<string, ProviderState>;
  webhooks: Map<string, WebhookState>;
  /** Webhook delivery id → its webhook's identifier (test events; they stay when the webhook is deleted). */
  deliveries: Map<string, string>;
  /** Dataset id → its name and number of items. */
  datasets: Map<string, { name: string; items: number }>;
  /** Batch run id → its prompt and executions (deleting the prompt deletes its runs). */
  runs: Map<string, { promptId: string; total: number; cancelled: boolean }>;
  counter: number;
}

let env: TestEnv;
const worlds: World[] = [];
/** Every id any tenant ever got back, with its owner: the leak detector. */
const owner = new Map<string, number>();
let operations = 0;

function own(tenant: number, id: string): void {
  owner.set(id, tenant);
}

/**
 * The response must not mention another tenant: neither its marker nor any id it owns, except
 * what the request itself sent (a 404 may repeat the id it was asked for).
 */
function assertNoLeak<T>(tenant: number, result: CallResult<T>, sent: unknown = null): void {
  const echoed = new Set(JSON.stringify(sent).match(UUID) ?? []);
  const text = JSON.stringify(result.data ?? result.error ?? null);
  for (const [index, world] of worlds.entries()) {
    if (index !== tenant && text.includes(world.marker)) throw new Error(`tenant ${worlds[tenant]?.slug} saw ${world.slug}'s marker: ${text.slice(0, 300)}`);
  }
  for (const id of text.match(UUID) ?? []) {
    const holder = owner.get(id);
    if (holder !== undefined && holder !== tenant && !echoed.has(id)) throw new Error(`tenant ${worlds[tenant]?.slug} saw ${worlds[holder]?.slug}'s id ${id}`);
  }
}

function world(index: number): World {
  const found = worlds[index];
  if (!found) throw new Error(`no tenant ${index}`);
  return found;
}

function pick<T>(items: readonly T[], seed: number): T | undefined {
  return items.length === 0 ? undefined : items[seed % items.length];
}

interface SettingsList {
  providers: (ProviderState & { identifier: string; apiKeySet: boolean })[];
  webhooks: (WebhookState & { identifier: string; enabled: boolean })[];
}

function publicProviderState(row: ProviderState): ProviderState {
  return {
    kind: row.kind,
    baseUrl: row.baseUrl,
    defaultModel: row.defaultModel,
    apiKeyHint: row.apiKeyHint,
    active: row.active,
    maxConcurrency: row.maxConcurrency,
  };
}

/** The tenant's settings, as settings.list returns them, are exactly the model's. */
function expectSettingsOf(me: World, list: SettingsList | undefined): void {
  const providers = new Map(list?.providers.map((p) => [p.identifier, publicProviderState(p)]));
  expect(providers, `${me.slug} providers`).toEqual(me.providers);
  expect(list?.providers.every((p) => p.apiKeySet)).toBe(true);
  const webhooks = new Map(list?.webhooks.map((w) => [w.identifier, { url: w.url, events: w.events }]));
  expect(webhooks, `${me.slug} webhooks`).toEqual(me.webhooks);
}

interface UsageSummary {
  totals: { executions: number };
  byPrompt: { promptId: string; name: string | null; executions: number }[];
}

/** Yesterday and today (UTC): every execution of the run, even one created just before midnight. */
function usageRange(): { from: string; to: string } {
  const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
  return { from: day(-1), to: day(0) };
}

/** The tenant's usage dashboard counts exactly its executions, grouped by its own prompts. */
function expectUsageOf(me: World, summary: UsageSummary | undefined): void {
  const runs = [...me.runs.values()];
  expect(summary?.totals.executions, `${me.slug} usage total`).toBe(me.executions.size + runs.reduce((sum, run) => sum + run.total, 0));
  const perPrompt = new Map<string, number>();
  for (const promptId of me.executions.values()) perPrompt.set(promptId, (perPrompt.get(promptId) ?? 0) + 1);
  for (const run of runs) perPrompt.set(run.promptId, (perPrompt.get(run.promptId) ?? 0) + run.total);
  expect(new Map(summary?.byPrompt.map((row) => [row.promptId, row.executions])), `${me.slug} usage by prompt`).toEqual(perPrompt);
  for (const row of summary?.byPrompt ?? []) expect(row.name?.startsWith(me.marker)).toBe(true);
}

type Op = { kind: OpKind; tenant: number; other: number; seed: number };
const OP_KINDS = [
  "prompt.create",
  "prompt.list",
  "prompt.get",
  "prompt.update",
  "prompt.delete",
  "prompt.versions",
  "file.upload",
  "file.list",
  "file.download",
  "file.delete",
  "deployment.create",
  "deployment.get",
  "deployment.run",
  "execution.create",
  "execution.get",
  "execution.list",
  "execution.stats",
  "usage.summary",
  "execution.review",
  "execution.cancel",
  "execution.export",
  "comment.create",
  "comment.list",
  "comment.update",
  "comment.delete",
  "promptComment.create",
  "promptComment.list",
  "users.list",
  "apiKeys.list",
  "audit.list",
  "settings.provider",
  "settings.webhook",
  "settings.delete",
  "settings.list",
  "webhooks.sendTest",
  "webhooks.deliveries",
  "webhooks.delivery",
  "webhooks.redeliver",
  "webhooks.rotateSecret",
  "settings.providerModels",
  "settings.testProvider",
  "foreign.cookie",
  "foreign.apiKey",
  "dataset.create",
  "dataset.get",
  "dataset.addItems",
  "dataset.items",
  "dataset.import",
  "dataset.export",
  "dataset.delete",
  "dataset.list",
  "batch.create",
  "batch.get",
  "batch.results",
  "batch.cancel",
  "batch.list",
] as const;
type OpKind = (typeof OP_KINDS)[number];
/** `me.comments` maps a comment to its execution id, or to `prompt:<id>` for a comment on a prompt. */
const PROMPT_TARGET = "prompt:";
const promptTarget = (promptId: string) => `${PROMPT_TARGET}${promptId}`;
const KEY_OPS = new Set<OpKind>([
  "prompt.list",
  "prompt.get",
  "prompt.versions",
  "file.upload",
  "deployment.run",
  "execution.create",
  "execution.get",
  "execution.list",
  "execution.stats",
  "usage.summary",
  "execution.review",
  "execution.cancel",
  "execution.export",
  "comment.create",
  "comment.list",
  "dataset.get",
  "dataset.items",
  "dataset.export",
  "dataset.list",
  "batch.create",
  "batch.get",
  "batch.results",
  "batch.cancel",
  "batch.list",
]);

const opArb = fc
  .record({
    kind: fc.constantFrom(...OP_KINDS),
    tenant: fc.integer({ min: 0, max: TENANTS - 1 }),
    other: fc.integer({ min: 0, max: TENANTS - 1 }),
    seed: fc.nat(),
    /** Whether the op targets another tenant's resource (when it takes an id). */
  })
  .map((op): Op => op);

/** Runs one op as tenant `op.tenant`; `foreign` ops use tenant `op.other`'s ids or credentials. */
async function runOp(op: Op): Promise<void> {
  const me = world(op.tenant);
  const them = world(op.other === op.tenant ? (op.other + 1) % TENANTS : op.other);
  const useForeignId = op.seed % 3 === 0;
  // Operations an API key may perform (it has every scope) alternate between key and session.
  const keyAllowed = KEY_OPS.has(op.kind);
  const as: CallOptions = { tenant: me.slug, ...(keyAllowed && op.seed % 2 === 1 ? { apiKey: me.apiKey } : { cookie: me.cookie }) };
  const cookieOnly: CallOptions = { tenant: me.slug, cookie: me.cookie };
  let sent: unknown = null;
  const q = <T>(path: string, input: unknown, options: CallOptions = as) => ((sent = input), call<T>("query", path, input, options));
  const m = <T>(path: string, input: unknown, options: CallOptions = as) => ((sent = input), call<T>("mutation", path, input, options));
  const check = <T>(result: CallResult<T>): CallResult<T> => {
    operations += 1;
    assertNoLeak(op.tenant, result, sent);
    return result;
  };
  /** An id of mine or, for foreign ops, of the other tenant (which must then be a 404). */
  const target = (mine: Map<string, unknown> | Set<string>, theirs: Map<string, unknown> | Set<string>) => {
    const pool = [...(useForeignId ? theirs.keys() : mine.keys())];
    return { id: pick(pool, op.seed), foreign: useForeignId };
  };
  const expectForeign404 = <T>(result: CallResult<T>) => expect(result.status, JSON.stringify(result.error)).toBe(404);

  switch (op.kind) {
    case "prompt.create": {
      me.counter += 1;
      const name = `${me.marker} prompt ${me.counter}`;
      const template = `Hi {{who}} ${me.marker}`;
      // Every other prompt requires `who` to start with this tenant's marker (as its executions and
      // dataset items do): input checked against another tenant's schema (a mixed-up version or a
      // shared compile cache) would be refused.
      const who = { type: "string", pattern: `^${me.marker.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}` };
      const inputSchema = op.seed % 2 === 0 ? { type: "object", properties: { who }, required: ["who"] } : undefined;
      const result = check(await m<{ id: string }>("prompts.create", { name, template, inputSchema }, cookieOnly));
      expect(result.status, JSON.stringify(result.error)).toBe(200);
      if (result.data) {
        me.prompts.set(result.data.id, { name, template, version: 1 });
        own(op.tenant, result.data.id);
      }
      return;
    }
    case "prompt.list": {
      const result = check(await q<{ data: { id: string }[] }>("prompts.list", { pageSize: 100 }));
      expect(result.status, `${op.kind}: ${JSON.stringify(result.error)}`).toBe(200);
      for (const row of result.data?.data ?? []) expect(me.prompts.has(row.id) || owner.get(row.id) === op.tenant).toBe(true);
      return;
    }
    case "prompt.get":
    case "prompt.versions": {
      const { id, foreign } = target(me.prompts, them.prompts);
      if (!id) return;
      const result = check(await q(op.kind === "prompt.get" ? "prompts.get" : "prompts.versions", { id }));
      if (foreign) expectForeign404(result);
      return;
    }
    case "prompt.update": {
      const { id, foreign } = target(me.prompts, them.prompts);
      if (!id) return;
      const template = `Changed ${op.seed} ${me.marker}`;
      const result = check(await m("prompts.update", { id, template }, cookieOnly));
      if (foreign) expectForeign404(result);
      else if (result.status === 200) {
        // An update that changes nothing makes no new version.
        const entry = me.prompts.get(id);
        if (entry && entry.template !== template) {
          entry.template = template;
          entry.version += 1;
        }
      }
      return;
    }
    case "prompt.delete": {
      const { id, foreign } = target(me.prompts, them.prompts);
      if (!id || op.seed % 5 !== 0) return;
      const result = check(await m("prompts.delete", { id }, cookieOnly));
      if (foreign) expectForeign404(result);
      else if (result.status === 200) {
        me.prompts.delete(id);
        for (const [deploymentId, deployment] of me.deployments) if (deployment.promptId === id) me.deployments.delete(deploymentId);
        for (const [executionId, promptId] of me.executions) {
          if (promptId !== id) continue;
          me.executions.delete(executionId);
          me.starred.delete(executionId);
          me.cancelled.delete(executionId);
          for (const [commentId, commented] of me.comments) if (commented === executionId) me.comments.delete(commentId);
        }
        for (const [commentId, commented] of me.comments) if (commented === promptTarget(id)) me.comments.delete(commentId);
        for (const [runId, run] of me.runs) if (run.promptId === id) me.runs.delete(runId);
      }
      return;
    }
    case "file.upload": {
      me.counter += 1;
      const name = `${me.marker}-${me.counter}.txt`;
      const content = Buffer.from(`file ${me.counter} of ${me.marker}`);
      const result = check(await m<{ id: string }>("files.upload", { name, mimeType: "text/plain", contentBase64: content.toString("base64") }));
      expect(result.status, `${op.kind}: ${JSON.stringify(result.error)}`).toBe(200);
      if (result.data) {
        me.files.set(result.data.id, { name, size: content.byteLength });
        own(op.tenant, result.data.id);
      }
      return;
    }
    case "file.list": {
      const result = check(await q<{ data: { id: string }[] }>("files.list", { pageSize: 100 }));
      expect(result.status, `${op.kind}: ${JSON.stringify(result.error)}`).toBe(200);
      return;
    }
    case "file.download": {
      const { id, foreign } = target(me.files, them.files);
      if (!id) return;
      const result = check(await q<{ contentBase64: string }>("files.download", { id }));
      if (foreign) expectForeign404(result);
      else if (result.data) expect(Buffer.from(result.data.contentBase64, "base64").toString()).toContain(me.marker);
      return;
    }
    case "file.delete": {
      const { id, foreign } = target(me.files, them.files);
      if (!id || op.seed % 4 !== 0) return;
      const result = check(await m("files.delete", { id }, cookieOnly));
      if (foreign) expectForeign404(result);
      else if (result.status === 200) me.files.delete(id);
      return;
    }
    case "deployment.create": {
      const { id: promptId, foreign } = target(me.prompts, them.prompts);
      if (!promptId) return;
      me.counter += 1;
      const name = `d-${me.counter}`;
      const result = check(await m<{ id: string }>("deployments.create", { name, promptId, provider: "template", model: "mustache" }, cookieOnly));
      if (foreign) expectForeign404(result);
      else if (result.status === 200 && result.data) {
        me.deployments.set(result.data.id, { name, promptId });
        own(op.tenant, result.data.id);
      }
      return;
    }
    case "deployment.get": {
      const { id, foreign } = target(me.deployments, them.deployments);
      if (!id) return;
      const result = check(await q("deployments.get", { id }, cookieOnly));
      if (foreign) expectForeign404(result);
      return;
    }
    case "deployment.run": {
      const mine = pick([...me.deployments.values()], op.seed);
      const theirs = pick([...them.deployments.values()], op.seed);
      const chosen = useForeignId ? theirs : mine;
      if (!chosen) return;
      const result = check(await m<{ id: string }>("deployments.run", { name: chosen.name, input: { who: me.marker } }));
      if (result.status === 200 && result.data) {
        // A name the other tenant also happens to use runs *my* deployment of that name.
        expect(useForeignId ? [...me.deployments.values()].some((d) => d.name === chosen.name) : true).toBe(true);
        const runAs = [...me.deployments.values()].find((d) => d.name === chosen.name);
        if (runAs) me.executions.set(result.data.id, runAs.promptId);
        own(op.tenant, result.data.id);
      } else expect([404]).toContain(result.status);
      return;
    }
    case "execution.create": {
      const { id: promptId, foreign } = target(me.prompts, them.prompts);
      if (!promptId) return;
      const result = check(await m<{ id: string }>("executions.create", { promptId, input: { who: me.marker } }));
      if (foreign) expectForeign404(result);
      else expect(result.status, `own prompt's input schema: ${JSON.stringify(result.error)}`).not.toBe(400);
      if (!foreign && result.status === 200 && result.data) {
        me.executions.set(result.data.id, promptId);
        own(op.tenant, result.data.id);
      }
      return;
    }
    case "execution.get": {
      const { id, foreign } = target(me.executions, them.executions);
      if (!id) return;
      const result = check(await q("executions.get", { id }));
      if (foreign) expectForeign404(result);
      else expect(result.status).toBe(200);
      return;
    }
    case "execution.list":
    case "execution.stats": {
      const result = check(
        await q(op.kind === "execution.list" ? "executions.list" : "executions.stats", op.kind === "execution.list" ? { pageSize: 50 } : undefined),
      );
      expect(result.status, `${op.kind}: ${JSON.stringify(result.error)}`).toBe(200);
      return;
    }
    case "usage.summary": {
      const result = check(await q<UsageSummary>("usage.summary", usageRange()));
      expect(result.status, `${op.kind}: ${JSON.stringify(result.error)}`).toBe(200);
      expectUsageOf(me, result.data);
      return;
    }
    case "execution.review": {
      const { id, foreign } = target(me.executions, them.executions);
      if (!id) return;
      const starred = op.seed % 4 !== 0;
      const reviewStatus = (["new", "reviewed", "needs_work"] as const)[op.seed % 3];
      const result = check(await m("executions.setReview", { id, starred, reviewStatus }));
      if (foreign) return expectForeign404(result);
      expect(result.status, `${op.kind}: ${JSON.stringify(result.error)}`).toBe(200);
      if (starred) me.starred.add(id);
      else me.starred.delete(id);
      return;
    }
    case "execution.cancel": {
      const { id, foreign } = target(me.executions, them.executions);
      if (!id) return;
      const result = check(await m("executions.cancel", { id }));
      if (foreign) return expectForeign404(result);
      // No worker runs here: a pending execution is cancelled once, then it is a conflict.
      expect(result.status, `${op.kind}: ${JSON.stringify(result.error)}`).toBe(me.cancelled.has(id) ? 409 : 200);
      me.cancelled.add(id);
      return;
    }
    case "execution.export": {
      // What the CSV export reads, page by page: another tenant's prompt id selects nothing here.
      const { id: promptId, foreign } = target(me.prompts, them.prompts);
      const result = check(
        await q<{ rows: { id: string; batchRunId: string | null }[] }>("executions.exportPage", { ...(promptId ? { promptId } : {}), limit: 200 }),
      );
      expect(result.status, `${op.kind}: ${JSON.stringify(result.error)}`).toBe(200);
      // Mine: created one by one, or a cell of one of my batch runs.
      for (const row of result.data?.rows ?? []) {
        expect(me.executions.has(row.id) || (row.batchRunId !== null && me.runs.has(row.batchRunId)), `${me.slug} exported ${row.id}`).toBe(true);
      }
      if (foreign && promptId) expect(result.data?.rows).toEqual([]);
      return;
    }
    case "comment.create": {
      const { id: executionId, foreign } = target(me.executions, them.executions);
      if (!executionId) return;
      const result = check(await m<{ id: string }>("comments.create", { executionId, body: `${me.marker} note ${op.seed}` }));
      if (foreign) return expectForeign404(result);
      expect(result.status, `${op.kind}: ${JSON.stringify(result.error)}`).toBe(200);
      if (result.data) {
        me.comments.set(result.data.id, executionId);
        own(op.tenant, result.data.id);
      }
      return;
    }
    case "comment.list": {
      const { id: executionId, foreign } = target(me.executions, them.executions);
      if (!executionId) return;
      const result = check(await q<{ id: string; body: string }[]>("comments.list", { executionId }));
      if (foreign) return expectForeign404(result);
      expect(result.status, `${op.kind}: ${JSON.stringify(result.error)}`).toBe(200);
      const expected = [...me.comments].filter(([, commented]) => commented === executionId).map(([commentId]) => commentId);
      expect(new Set(result.data?.map((comment) => comment.id))).toEqual(new Set(expected));
      for (const comment of result.data ?? []) expect(comment.body.startsWith(me.marker)).toBe(true);
      return;
    }
    case "promptComment.create": {
      const { id: promptId, foreign } = target(me.prompts, them.prompts);
      if (!promptId) return;
      const result = check(await m<{ id: string }>("comments.createForPrompt", { promptId, body: `${me.marker} prompt note ${op.seed}` }, cookieOnly));
      if (foreign) return expectForeign404(result);
      expect(result.status, `${op.kind}: ${JSON.stringify(result.error)}`).toBe(200);
      if (result.data) {
        me.comments.set(result.data.id, promptTarget(promptId));
        own(op.tenant, result.data.id);
      }
      return;
    }
    case "promptComment.list": {
      const { id: promptId, foreign } = target(me.prompts, them.prompts);
      if (!promptId) return;
      const result = check(await q<{ id: string; body: string }[]>("comments.listForPrompt", { promptId }, cookieOnly));
      if (foreign) return expectForeign404(result);
      expect(result.status, `${op.kind}: ${JSON.stringify(result.error)}`).toBe(200);
      const expected = [...me.comments].filter(([, commented]) => commented === promptTarget(promptId)).map(([commentId]) => commentId);
      expect(new Set(result.data?.map((comment) => comment.id))).toEqual(new Set(expected));
      for (const comment of result.data ?? []) expect(comment.body.startsWith(me.marker)).toBe(true);
      return;
    }
    case "comment.update":
    case "comment.delete": {
      const { id, foreign } = target(me.comments, them.comments);
      if (!id) return;
      const result = check(
        op.kind === "comment.update"
          ? await m("comments.update", { id, body: `${me.marker} edited ${op.seed}` }, cookieOnly)
          : await m("comments.delete", { id }, cookieOnly),
      );
      if (foreign) return expectForeign404(result);
      expect(result.status, `${op.kind}: ${JSON.stringify(result.error)}`).toBe(200);
      if (op.kind === "comment.delete") me.comments.delete(id);
      return;
    }
    case "users.list":
    case "apiKeys.list":
    case "audit.list": {
      const result = check(await q(op.kind, op.kind === "users.list" ? {} : op.kind === "audit.list" ? { pageSize: 50 } : undefined, cookieOnly));
      expect(result.status, `${op.kind}: ${JSON.stringify(result.error)}`).toBe(200);
      return;
    }
    case "settings.provider": {
      // Every tenant uses the same few identifiers: a save that ignored the tenant would hit another's row.
      const identifier = `prov-${op.seed % 6}`;
      const existing = me.providers.get(identifier);
      me.counter += 1;
      const hint = `${op.tenant.toString(36)}${(me.counter % 1296).toString(36).padStart(2, "0")}k`;
      // Now and then the key is left out: the stored key is kept, or there is none to keep (400).
      const keepKey = op.seed % 4 === 0;
      const input = {
        identifier,
        kind: KEYED_KINDS[op.seed % KEYED_KINDS.length] ?? "openai",
        baseUrl: `https://api.${me.slug}.example/v${op.seed % 3}`,
        defaultModel: `model ${me.marker} ${me.counter}`,
        active: op.seed % 5 !== 0,
        maxConcurrency: 1 + (op.seed % 8),
        ...(keepKey ? {} : { apiKey: `sk-${me.slug}-${op.seed}-${hint}` }),
      };
      const result = check(await m<ProviderState & { identifier: string; apiKeySet: boolean }>("settings.saveProvider", input, cookieOnly));
      if (keepKey && !existing) {
        expect(result.status, `${op.kind}: ${JSON.stringify(result.data)}`).toBe(400);
        return;
      }
      expect(result.status, `${op.kind}: ${JSON.stringify(result.error)}`).toBe(200);
      const expected: ProviderState = {
        kind: input.kind,
        baseUrl: input.baseUrl,
        defaultModel: input.defaultModel,
        apiKeyHint: keepKey && existing ? existing.apiKeyHint : `…${hint}`,
        active: input.active,
        maxConcurrency: input.maxConcurrency,
      };
      expect(result.data && publicProviderState(result.data)).toEqual(expected);
      expect(result.data?.apiKeySet).toBe(true);
      me.providers.set(identifier, expected);
      return;
    }
    case "settings.webhook": {
      const identifier = `hook-${op.seed % 6}`;
      const hook: WebhookState = {
        url: `https://hooks.example/${me.marker}/${op.seed}`,
        events: op.seed % 2 === 0 ? ["execution.failed"] : ["execution.completed", "batch.completed"],
      };
      const result = check(await m<WebhookState & { identifier: string }>("settings.saveWebhook", { identifier, ...hook }, cookieOnly));
      expect(result.status, `${op.kind}: ${JSON.stringify(result.error)}`).toBe(200);
      expect(result.data && { url: result.data.url, events: result.data.events }).toEqual(hook);
      me.webhooks.set(identifier, hook);
      return;
    }
    case "settings.delete": {
      const type = op.seed % 2 === 0 ? "provider" : "webhook";
      const identifier = `${type === "provider" ? "prov" : "hook"}-${Math.floor(op.seed / 2) % 6}`;
      const mine = type === "provider" ? me.providers : me.webhooks;
      const result = check(await m("settings.delete", { type, identifier }, cookieOnly));
      // Another tenant's row of that name is not mine to delete: 404 unless I have one.
      expect(result.status, `${op.kind}: ${JSON.stringify(result.error)}`).toBe(mine.has(identifier) ? 200 : 404);
      mine.delete(identifier);
      return;
    }
    case "settings.list": {
      const result = check(await q<SettingsList>("settings.list", undefined, cookieOnly));
      expect(result.status, `${op.kind}: ${JSON.stringify(result.error)}`).toBe(200);
      expectSettingsOf(me, result.data);
      return;
    }
    case "settings.providerModels":
    case "settings.testProvider": {
      // Mine (the fake), or an identifier only the other tenant has: never theirs to call.
      const foreign = [...them.providers.keys()].find((identifier) => !me.providers.has(identifier));
      const identifier = useForeignId && foreign !== undefined ? foreign : FAKE_PROVIDER;
      const input = { identifier };
      const result = check(op.kind === "settings.providerModels" ? await q<unknown>(op.kind, input, cookieOnly) : await m<unknown>(op.kind, input, cookieOnly));
      if (identifier !== FAKE_PROVIDER) {
        expect(result.status, `${op.kind} of ${them.slug}'s ${identifier}`).toBe(404);
        return;
      }
      expect(result.status, `${op.kind}: ${JSON.stringify(result.error)}`).toBe(200);
      expect(result.data).toMatchObject(op.kind === "settings.providerModels" ? { models: ["fake-large", "fake-small"] } : { ok: true });
      return;
    }
    case "dataset.create": {
      me.counter += 1;
      const name = `${me.marker} dataset ${me.counter}`;
      const result = check(await m<{ id: string }>("datasets.create", { name }, cookieOnly));
      expect(result.status, `${op.kind}: ${JSON.stringify(result.error)}`).toBe(200);
      if (result.data) {
        me.datasets.set(result.data.id, { name, items: 0 });
        own(op.tenant, result.data.id);
      }
      return;
    }
    case "dataset.get":
    case "dataset.items":
    case "dataset.export": {
      const { id, foreign } = target(me.datasets, them.datasets);
      if (!id) return;
      type Counted = { itemCount?: number; total?: number; items?: number };
      const result =
        op.kind === "dataset.get"
          ? check(await q<Counted>("datasets.get", { id }))
          : op.kind === "dataset.items"
            ? check(await q<Counted>("datasets.items", { datasetId: id, pageSize: 50 }))
            : check(await q<Counted>("datasets.export", { id, format: op.seed % 2 === 0 ? "csv" : "jsonl" }));
      if (foreign) expectForeign404(result);
      else {
        expect(result.status, `${op.kind}: ${JSON.stringify(result.error)}`).toBe(200);
        const items = me.datasets.get(id)?.items;
        expect(result.data?.itemCount ?? result.data?.total ?? result.data?.items).toBe(items);
      }
      return;
    }
    case "dataset.addItems":
    case "dataset.import": {
      const { id, foreign } = target(me.datasets, them.datasets);
      if (!id) return;
      const count = 1 + (op.seed % 3);
      const result =
        op.kind === "dataset.addItems"
          ? check(
              await m(
                "datasets.addItems",
                { datasetId: id, items: Array.from({ length: count }, (_, i) => ({ variables: { who: `${me.marker} ${i}` } })) },
                cookieOnly,
              ),
            )
          : check(
              await m(
                "datasets.import",
                {
                  datasetId: id,
                  format: "text",
                  content: Array.from({ length: count }, (_, i) => `${me.marker} line ${i}`).join("\n"),
                  mapping: { variables: { text: "who" }, expectedOutput: null, tags: null },
                },
                cookieOnly,
              ),
            );
      if (foreign) expectForeign404(result);
      else {
        expect(result.status, `${op.kind}: ${JSON.stringify(result.error)}`).toBe(200);
        const entry = me.datasets.get(id);
        if (entry) entry.items += count;
      }
      return;
    }
    case "dataset.delete": {
      const { id, foreign } = target(me.datasets, them.datasets);
      if (!id || op.seed % 5 !== 0) return;
      const result = check(await m("datasets.delete", { id }, cookieOnly));
      if (foreign) expectForeign404(result);
      else if (result.status === 200) me.datasets.delete(id);
      return;
    }
    case "dataset.list":
    case "batch.list": {
      const result = check(await q<{ data: { id: string }[] }>(op.kind === "dataset.list" ? "datasets.list" : "batchRuns.list", { pageSize: 100 }));
      expect(result.status, `${op.kind}: ${JSON.stringify(result.error)}`).toBe(200);
      for (const row of result.data?.data ?? []) expect(owner.get(row.id)).toBe(op.tenant);
      return;
    }
    case "batch.create": {
      // Either id may be the other tenant's: a foreign prompt or dataset is a 404, nothing is run.
      const foreignPrompt = useForeignId && op.seed % 2 === 0;
      const promptId = pick([...(foreignPrompt ? them.prompts : me.prompts).keys()], op.seed);
      const datasetId = pick([...(useForeignId && !foreignPrompt ? them.datasets : me.datasets).keys()], op.seed);
      if (!promptId || !datasetId) return;
      const result = check(await m<{ id: string; total: number }>("batchRuns.create", { promptId, datasetId, targets: [{ version: 1 }] }));
      if (useForeignId) expectForeign404(result);
      else if (me.datasets.get(datasetId)?.items === 0) expect(result.status).toBe(400);
      else {
        expect(result.status, `${op.kind}: ${JSON.stringify(result.error)}`).toBe(200);
        if (result.data) {
          me.runs.set(result.data.id, { promptId, total: result.data.total, cancelled: false });
          own(op.tenant, result.data.id);
        }
      }
      return;
    }
    case "batch.get":
    case "batch.results":
    case "batch.cancel": {
      const { id, foreign } = target(me.runs, them.runs);
      if (!id) return;
      const result =
        op.kind === "batch.cancel"
          ? check(await m("batchRuns.cancel", { id }))
          : check(await q(op.kind === "batch.get" ? "batchRuns.get" : "batchRuns.results", { id }));
      if (foreign) return expectForeign404(result);
      expect(result.status, `${op.kind}: ${JSON.stringify(result.error)}`).toBe(200);
      const run = me.runs.get(id);
      if (op.kind === "batch.cancel" && run) run.cancelled = true;
      return;
    }
    case "webhooks.sendTest":
    case "webhooks.rotateSecret": {
      // The same few identifiers in every tenant: a procedure that ignored the tenant would reach another's webhook.
      const identifier = `hook-${op.seed % 6}`;
      const path = op.kind === "webhooks.sendTest" ? "webhooks.sendTest" : "webhooks.rotateSecret";
      const result = check(await m<{ id?: string; secret?: string }>(path, { identifier }, cookieOnly));
      expect(result.status, `${op.kind}: ${JSON.stringify(result.error)}`).toBe(me.webhooks.has(identifier) ? 200 : 404);
      if (op.kind === "webhooks.sendTest" && result.data?.id) {
        me.deliveries.set(result.data.id, identifier);
        own(op.tenant, result.data.id);
      }
      return;
    }
    case "webhooks.deliveries": {
      const identifier = `hook-${op.seed % 6}`;
      const result = check(await q<{ data: { id: string }[]; total: number }>("webhooks.deliveries", { identifier, pageSize: 100 }, cookieOnly));
      if (!me.webhooks.has(identifier)) {
        expect(result.status).toBe(404);
        return;
      }
      expect(result.status, `${op.kind}: ${JSON.stringify(result.error)}`).toBe(200);
      const expected = [...me.deliveries].filter(([, webhook]) => webhook === identifier).map(([id]) => id);
      expect(result.data?.total).toBe(expected.length);
      for (const row of result.data?.data ?? []) expect(me.deliveries.get(row.id)).toBe(identifier);
      return;
    }
    case "webhooks.delivery":
    case "webhooks.redeliver": {
      // Another tenant's delivery id, under a webhook identifier I have: 404, never its data.
      const { id, foreign } = target(me.deliveries, them.deliveries);
      if (!id) return;
      const identifier = foreign ? (pick([...me.webhooks.keys()], op.seed) ?? "hook-0") : (me.deliveries.get(id) ?? "hook-0");
      const result =
        op.kind === "webhooks.delivery"
          ? check(await q("webhooks.delivery", { identifier, id }, cookieOnly))
          : check(await m("webhooks.redeliver", { identifier, id }, cookieOnly));
      if (foreign || !me.webhooks.has(identifier)) expect(result.status, `${op.kind}: ${JSON.stringify(result.data)}`).toBe(404);
      // No worker runs here: my test deliveries are pending, and only a failed one can be sent again.
      else expect(result.status, `${op.kind}: ${JSON.stringify(result.error)}`).toBe(op.kind === "webhooks.delivery" ? 200 : 409);
      return;
    }
    case "foreign.cookie":
    case "foreign.apiKey": {
      // Another tenant's credential on my host: refused, and nothing is written anywhere.
      const credential: CallOptions = op.kind === "foreign.cookie" ? { tenant: me.slug, cookie: them.cookie } : { tenant: me.slug, apiKey: them.apiKey };
      const write = check(await m("prompts.create", { name: `${them.marker} intruder ${op.seed}`, template: "x" }, credential));
      expect(write.status).toBe(403);
      const read = check(await q("prompts.list", { pageSize: 5 }, credential));
      expect(read.status).toBe(403);
      return;
    }
  }
}

beforeAll(async () => {
  env = await useTestEnv();
  fakeServer = await startFakeOpenAI();
  // The API reads SIGIL_OUTBOUND_ALLOW per call in tests (harness.ts): the fake is a local server.
  savedAllow = process.env.SIGIL_OUTBOUND_ALLOW;
  process.env.SIGIL_OUTBOUND_ALLOW = `127.0.0.1:${fakeServer.port}`;
  for (let i = 0; i < TENANTS; i += 1) {
    const slug = `fz-${String(i).padStart(2, "0")}`;
    // Generous plan limits: the fuzz is about isolation, quotas have their own tests.
    const { users } = await createTenantWithUsers(slug, {
      settings: { features: ["deployments", "files"], limits: { users: 100, storage: 1_000, executions_per_month: 1_000_000 } },
    });
    const cookie = await login(slug, `admin@${slug}.test`);
    const key = await call<{ plainKey: string; key: { id: string } }>(
      "mutation",
      "apiKeys.create",
      {
        name: "fuzz",
        scopes: ["prompts:read", "prompts:preview", "executions:run", "executions:read", "files:upload", "deployments:run"],
      },
      { tenant: slug, cookie },
    );
    if (!key.data) throw new Error(key.error?.message);
    const fake = { identifier: FAKE_PROVIDER, kind: "openai", baseUrl: `${fakeServer.url}/t/${slug}/v1`, defaultModel: "fake-large", apiKey: fakeKey(slug) };
    const saved = await call<ProviderState>("mutation", "settings.saveProvider", fake, { tenant: slug, cookie });
    if (!saved.data) throw new Error(saved.error?.message);
    for (const user of Object.values(users)) own(i, user.id);
    own(i, key.data.key.id);
    worlds.push({
      slug,
      marker: `«${slug}»`,
      cookie,
      apiKey: key.data.plainKey,
      prompts: new Map(),
      files: new Map(),
      deployments: new Map(),
      executions: new Map(),
      comments: new Map(),
      starred: new Set(),
      cancelled: new Set(),
      providers: new Map([[FAKE_PROVIDER, publicProviderState(saved.data)]]),
      webhooks: new Map(),
      deliveries: new Map(),
      datasets: new Map(),
      runs: new Map(),
      counter: 0,
    });
  }
}, 120_000);
afterAll(async () => {
  if (savedAllow === undefined) delete process.env.SIGIL_OUTBOUND_ALLOW;
  else process.env.SIGIL_OUTBOUND_ALLOW = savedAllow;
  await fakeServer.close();
  env.cleanup();
});

test(`${TENANTS} tenants, ${RUNS * OPS_PER_RUN} random operations in concurrent batches: no response or write crosses a tenant`, async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(opArb, { minLength: OPS_PER_RUN, maxLength: OPS_PER_RUN }), async (ops) => {
      for (let start = 0; start < ops.length; start += BATCH) {
        // One op per tenant per batch keeps the model exact; batches still interleave tenants.
        const batch = ops.slice(start, start + BATCH).filter((op, i, all) => all.findIndex((o) => o.tenant === op.tenant) === i);
        await Promise.all(batch.map(runOp));
      }
    }),
    { numRuns: RUNS, endOnFailure: true },
  );

  // Quiescent: every tenant's state is exactly the model's, and nothing of another tenant in
  // any of the answers.
  for (const [index, me] of worlds.entries()) {
    const as: CallOptions = { tenant: me.slug, cookie: me.cookie };
    const read = async <T>(path: string, input: unknown): Promise<T | undefined> => {
      const result = await call<T>("query", path, input, as);
      expect(result.status, `${path}: ${JSON.stringify(result.error)}`).toBe(200);
      assertNoLeak(index, result);
      return result.data;
    };
    type PromptPage = { data: { id: string; name: string; currentVersion: number }[]; total: number };
    const prompts = await read<PromptPage>("prompts.list", { pageSize: 100, page: 1 });
    const allPrompts = [...(prompts?.data ?? [])];
    for (let page = 2; page <= Math.ceil((prompts?.total ?? 0) / 100); page += 1) {
      allPrompts.push(...((await read<PromptPage>("prompts.list", { pageSize: 100, page }))?.data ?? []));
    }
    expect(new Set(allPrompts.map((p) => p.id))).toEqual(new Set(me.prompts.keys()));
    for (const prompt of allPrompts) {
      expect(prompt.name.startsWith(me.marker)).toBe(true);
      expect(prompt.currentVersion).toBe(me.prompts.get(prompt.id)?.version);
    }
    const files = await read<{ data: { id: string }[]; total: number }>("files.list", { pageSize: 100 });
    expect(files?.total).toBe(me.files.size);
    const deployments = await read<{ data: { id: string }[]; total: number }>("deployments.list", { pageSize: 100 });
    expect(deployments?.total).toBe(me.deployments.size);
    expect(new Set(deployments?.data.map((d) => d.id))).toEqual(new Set(me.deployments.keys()));
    const stats = await read<{ total: number; byStatus: { cancelled: number } }>("executions.stats", undefined);
    const runs = [...me.runs.values()];
    expect(stats?.total).toBe(me.executions.size + runs.reduce((sum, run) => sum + run.total, 0));
    expectUsageOf(me, await read<UsageSummary>("usage.summary", usageRange()));
    // No worker runs here: a cancelled run's executions were all pending, and are all cancelled.
    const cancelledInRuns = runs.filter((run) => run.cancelled).reduce((sum, run) => sum + run.total, 0);
    expect(stats?.byStatus.cancelled).toBe(me.cancelled.size + cancelledInRuns);
    const starred = await read<{ data: { id: string }[]; total: number }>("executions.list", { starred: "true", pageSize: 100 });
    expect(new Set(starred?.data.map((row) => row.id))).toEqual(me.starred);
    const commentCounts = new Map<string, number>();
    for (const executionId of me.comments.values()) commentCounts.set(executionId, (commentCounts.get(executionId) ?? 0) + 1);
    for (const [commented, count] of commentCounts) {
      const listed = commented.startsWith(PROMPT_TARGET)
        ? await read<unknown[]>("comments.listForPrompt", { promptId: commented.slice(PROMPT_TARGET.length) })
        : await read<unknown[]>("comments.list", { executionId: commented });
      expect(listed?.length).toBe(count);
    }
    const datasets = await read<{ data: { id: string; itemCount: number }[]; total: number }>("datasets.list", { pageSize: 100 });
    expect(new Map(datasets?.data.map((d) => [d.id, d.itemCount]))).toEqual(new Map([...me.datasets].map(([id, d]) => [id, d.items])));
    const runList = await read<{ total: number }>("batchRuns.list", { pageSize: 100 });
    expect(runList?.total).toBe(me.runs.size);
    expectSettingsOf(me, await read<SettingsList>("settings.list", undefined));
    for (const identifier of me.webhooks.keys()) {
      const log = await read<{ data: { id: string }[]; total: number }>("webhooks.deliveries", { identifier, pageSize: 100 });
      expect(log?.total).toBe([...me.deliveries.values()].filter((webhook) => webhook === identifier).length);
    }
    await read("executions.list", { pageSize: 100 });
    await read("audit.list", { pageSize: 100 });
    await read("users.list", {});
    await read("apiKeys.list", undefined);
  }
  // Every call the fake provider got carried the key of the tenant whose path it used.
  expect(fakeServer.requests.length).toBeGreaterThan(0);
  for (const request of fakeServer.requests) {
    const slug = /^\/t\/([^/]+)\/v1\//.exec(request.url)?.[1] ?? "(no tenant path)";
    expect(request.headers.authorization, request.url).toBe(`Bearer ${fakeKey(slug)}`);
  }
  console.log(`isolation fuzz: ${TENANTS} tenants, ${operations} operations executed and checked`);
  expect(operations).toBeGreaterThanOrEqual(10_000);
}, 600_000);
