import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes, randomUUID } from "node:crypto";
import { rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import {
  deploymentModel,
  executionModel,
  fileModel,
  promptModel,
  SecretVault,
  settingsModel,
  tenantContext,
  tenantModel,
  tenantWorkModel,
  type ExecutionRow,
  type PromptRow,
  type TenantRow,
} from "@sigil/db";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import {
  ExecutionWorker,
  parseOutboundAllow,
  renderRequest,
  templateProvider,
  type ExecutionProvider,
  type ProviderRequest,
  type WorkerEvent,
} from "../src/index.ts";
import { readBody } from "./fakes/server.ts";
import { createTenantWithUsers, useTestEnv, type TestEnv } from "./harness.ts";

const API_KEY = "sk-test-9f8e7d6c5b4a-SECRET";
const API_DIR = join(import.meta.dirname, "..");

let env: TestEnv;
let llm: FakeLlm;

beforeAll(async () => {
  env = await useTestEnv();
  llm = await startFakeLlm();
});
afterAll(async () => {
  await llm.close();
  env.cleanup();
});

// Every test works with its own tenants; suspending them afterwards keeps later workers (which
// visit every active tenant) from seeing them.
const activeTenants: TenantRow[] = [];
afterEach(async () => {
  for (const tenant of activeTenants.splice(0)) await tenantModel.suspend(tenant.id);
});

async function newTenant(slug: string): Promise<TenantRow> {
  const { tenant } = await createTenantWithUsers(slug);
  activeTenants.push(tenant);
  return tenant;
}

function inTenant<T>(tenant: TenantRow, fn: () => Promise<T>): Promise<T> {
  return tenantContext.runWithTenant(tenant.id, fn);
}

async function createPrompt(
  tenant: TenantRow,
  template: string,
  options: { name?: string; acceptsFiles?: boolean; responseSchema?: Record<string, unknown> } = {},
): Promise<PromptRow> {
  return inTenant(tenant, () =>
    promptModel.create({
      name: options.name ?? `prompt-${randomUUID().slice(0, 8)}`,
      template,
      acceptsFiles: options.acceptsFiles ?? false,
      responseSchema: options.responseSchema ?? null,
    }),
  );
}

async function createExecution(
  tenant: TenantRow,
  prompt: PromptRow,
  options: { input?: Record<string, unknown>; provider?: string; model?: string; fileIds?: string[]; deploymentId?: string } = {},
): Promise<ExecutionRow> {
  return inTenant(tenant, () =>
    executionModel.createWithinMonthlyLimit(
      {
        promptId: prompt.id,
        promptVersion: prompt.currentVersion,
        input: options.input ?? {},
        provider: options.provider ?? "template",
        model: options.model ?? "",
        fileIds: options.fileIds ?? [],
        deploymentId: options.deploymentId ?? null,
      },
      { executions: 1_000, tokens: null },
    ),
  );
}

async function getExecution(tenant: TenantRow, id: string): Promise<ExecutionRow> {
  const row = await inTenant(tenant, () => executionModel.findById(id));
  if (!row) throw new Error(`execution ${id} not found in ${tenant.slug}`);
  return row;
}

function expectSettled(row: ExecutionRow, status: "completed" | "failed"): void {
  expect(row.status, row.error ?? "").toBe(status);
  expect(row.startedAt).toBeInstanceOf(Date);
  expect(row.completedAt).toBeInstanceOf(Date);
  expect(row.completedAt?.getTime() ?? 0).toBeGreaterThanOrEqual(row.startedAt?.getTime() ?? Infinity);
}

describe("template provider", () => {
  test("executions complete with the rendered template, per tenant, and two tenants never mix", async () => {
    const alpha = await newTenant("wk-alpha");
    const beta = await newTenant("wk-beta");
    // Same prompt name in both tenants, different templates.
    const template = (who: string) => `${who}: Hello {{name}}! {{html}} {{{html}}} {{#tags}}[{{.}}]{{/tags}}{{missing}}`;
    const promptA = await createPrompt(alpha, template("alpha"), { name: "greet" });
    const promptB = await createPrompt(beta, template("beta"), { name: "greet" });
    const input = (name: string) => ({ name, html: "<b>&\"'</b>", tags: ["x", "y"] });
    const a1 = await createExecution(alpha, promptA, { input: input("Ada") });
    const a2 = await createExecution(alpha, promptA, { input: input("Ada") });
    const a3 = await createExecution(alpha, promptA, { input: input("Alan") });
    const b1 = await createExecution(beta, promptB, { input: input("Barbara") });
    const b2 = await createExecution(beta, promptB, { input: input("Bob"), provider: "spy" });
    const a4 = await createExecution(alpha, promptA, { input: input("Anna"), provider: "spy" });

    // The spy records the tenant context its call runs in, next to the prompt it was given.
    const seen: { contextTenant: string | undefined; template: string }[] = [];
    const spy: ExecutionProvider = {
      name: "spy",
      kind: "test",
      run: async (request, signal) => {
        seen.push({ contextTenant: tenantContext.tryGetCurrentTenantId(), template: request.template });
        return templateProvider.run(request, signal);
      },
    };
    const worker = new ExecutionWorker({ providers: { spy }, concurrency: 3 });
    // Called from inside alpha's context on purpose: the worker must not inherit it.
    const tick = await inTenant(alpha, () => worker.runOnce());
    expect(tick).toMatchObject({ processed: 6, completed: 6, failed: 0, errors: [] });

    const expected = (who: string, name: string) => `${who}: Hello ${name}! <b>&"'</b> <b>&"'</b> [x][y]`;
    for (const [tenant, row, text] of [
      [alpha, a1, expected("alpha", "Ada")],
      [alpha, a2, expected("alpha", "Ada")],
      [alpha, a3, expected("alpha", "Alan")],
      [alpha, a4, expected("alpha", "Anna")],
      [beta, b1, expected("beta", "Barbara")],
      [beta, b2, expected("beta", "Bob")],
    ] as const) {
      const done = await getExecution(tenant, row.id);
      expectSettled(done, "completed");
      expect(done.result).toBe(text);
      expect(done.error).toBeNull();
      expect(done.attempts).toBe(1);
    }
    expect(seen).toHaveLength(2);
    expect(seen).toContainEqual({ contextTenant: alpha.id, template: template("alpha") });
    expect(seen).toContainEqual({ contextTenant: beta.id, template: template("beta") });
    // Each tenant's file holds only its own executions.
    expect(await inTenant(alpha, () => executionModel.findById(b1.id))).toBeNull();
    expect(await inTenant(beta, () => executionModel.findById(a1.id))).toBeNull();
    expect((await inTenant(alpha, () => executionModel.stats())).byStatus).toMatchObject({ completed: 4, pending: 0, running: 0 });
    expect((await inTenant(beta, () => executionModel.stats())).byStatus).toMatchObject({ completed: 2, pending: 0, running: 0 });

    // Nothing left: a second tick is empty.
    expect(await worker.runOnce()).toMatchObject({ processed: 0 });
  });

  test("rendering is deterministic, does not escape HTML, and shows files", () => {
    const request: ProviderRequest = {
      template: "{{a}}|{{{a}}}|{{n}}|{{#list}}{{v}},{{/list}}|{{obj}}|{{#files}}{{name}}={{text}};{{/files}}",
      input: { a: "<x>", n: 3, list: [{ v: 1 }, { v: 2 }], obj: { k: [1] } },
      model: "",
      files: [{ name: "a.md", mimeType: "text/markdown", content: Buffer.from("# A") }],
      options: {},
      responseSchema: null,
    };
    expect(renderRequest(request)).toBe('<x>|<x>|3|1,2,|{"k":[1]}|a.md=# A;');
    expect(renderRequest(request)).toBe(renderRequest(request));
    // Without attachments, an input variable named `files` is the input's.
    expect(renderRequest({ ...request, template: "{{files}}", files: [], input: { files: "mine" } })).toBe("mine");
  });

  test("a template syntax error fails that execution only", async () => {
    const tenant = await newTenant("wk-syntax");
    const broken = await createPrompt(tenant, "Hello {{#open}} never closed");
    const fine = await createPrompt(tenant, "fine {{x}}");
    const bad = await createExecution(tenant, broken);
    const good = await createExecution(tenant, fine, { input: { x: 1 } });
    const tick = await new ExecutionWorker({ concurrency: 1 }).runOnce();
    expect(tick).toMatchObject({ processed: 2, completed: 1, failed: 1 });
    const failed = await getExecution(tenant, bad.id);
    expectSettled(failed, "failed");
    expect(failed.error).toMatch(/Unclosed section "open"/);
    expect((await getExecution(tenant, good.id)).result).toBe("fine 1");
  });
});

describe("failing providers", () => {
  test("a provider that throws, rejects or hangs fails only its execution; the next one completes", async () => {
    const tenant = await newTenant("wk-failing");
    const prompt = await createPrompt(tenant, "ok {{n}}");
    const throwing: ExecutionProvider = {
      name: "throws",
      kind: "test",
      run: () => {
        throw new Error("model exploded");
      },
    };
    const rejecting: ExecutionProvider = { name: "rejects", kind: "test", run: () => Promise.reject(new Error("quota of the model account used up")) };
    const hanging: ExecutionProvider = { name: "hangs", kind: "test", run: () => new Promise(() => {}) };
    const order = ["throws", "template", "rejects", "template", "hangs", "template"];
    const rows: ExecutionRow[] = [];
    for (const [n, provider] of order.entries()) rows.push(await createExecution(tenant, prompt, { provider, input: { n } }));

    const events: WorkerEvent[] = [];
    const worker = new ExecutionWorker({
      providers: { throws: throwing, rejects: rejecting, hangs: hanging },
      concurrency: 1,
      executionTimeoutMs: 300,
      onEvent: (event) => events.push(event),
    });
    const started = Date.now();
    const tick = await worker.runOnce();
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(tick).toMatchObject({ processed: 6, completed: 3, failed: 3, errors: [] });

    const byProvider = async (index: number) => getExecution(tenant, rows[index]?.id ?? "");
    const thrown = await byProvider(0);
    expectSettled(thrown, "failed");
    expect(thrown.error).toBe("model exploded");
    const rejected = await byProvider(2);
    expectSettled(rejected, "failed");
    expect(rejected.error).toBe("quota of the model account used up");
    const hung = await byProvider(4);
    expectSettled(hung, "failed");
    expect(hung.error).toBe('Provider "hangs" did not finish within 300 ms; the execution was stopped.');
    for (const index of [1, 3, 5]) {
      const row = await byProvider(index);
      expectSettled(row, "completed");
      expect(row.result).toBe(`ok ${index}`);
    }
    const executionEvents = events.filter((event) => event.type === "execution");
    expect(executionEvents).toHaveLength(6);
    expect(
      executionEvents
        .filter((event) => event.status === "failed")
        .map((event) => event.provider)
        .sort(),
    ).toEqual(["hangs", "rejects", "throws"]);
  });

  test("a tenant whose database is gone is reported and skipped; the others are served", async () => {
    const broken = await newTenant("wk-gone");
    const fine = await newTenant("wk-fine");
    await createExecution(broken, await createPrompt(broken, "lost"));
    const prompt = await createPrompt(fine, "fine");
    const execution = await createExecution(fine, prompt);
    const file = join(env.dataDir, `tenant_${broken.id}.sqlite`);
    for (const suffix of ["", "-wal", "-shm"]) rmSync(file + suffix, { force: true });

    const worker = new ExecutionWorker();
    const tick = await worker.runOnce();
    expect(tick).toMatchObject({ processed: 1, completed: 1 });
    expect(tick.errors).toHaveLength(1);
    expect(tick.errors[0]?.message).toMatch(/wk-gone.*database file .* is missing/);
    expect((await getExecution(fine, execution.id)).result).toBe("fine");
    // The broken tenant keeps its mark (its work is not lost), the served one is cleared.
    expect((await tenantWorkModel.find(broken.id))?.pendingSince).not.toBeNull();
    expect((await tenantWorkModel.find(fine.id))?.pendingSince).toBeNull();
    // Recovery visits suspended tenants too: remove this one from the registry so later tests' workers do not report it.
    activeTenants.splice(activeTenants.indexOf(broken), 1);
    await tenantModel.deleteTenant(broken.id);
  });
});

describe("OpenAI-compatible provider", () => {
  /** The fake LLM runs on 127.0.0.1: the operator allow-lists it, as for a local model server. */
  const outbound = (...extra: string[]) => ({ allow: parseOutboundAllow([new URL(llm.url).host, ...extra].join(",")) });
  async function configure(tenant: TenantRow, identifier: string, payload: Record<string, unknown>) {
    await inTenant(tenant, () => settingsModel.upsert("provider", identifier, payload));
  }
  const settingsFor = (path: string) => ({ baseUrl: `${llm.url}${path}`, apiKey: API_KEY, defaultModel: "gpt-default" });

  test("completes through a chat-completions endpoint with the tenant's settings", async () => {
    const tenant = await newTenant("wk-openai");
    await configure(tenant, "openai", settingsFor("/ok/v1/"));
    const prompt = await createPrompt(tenant, "Summarize {{topic}}", { responseSchema: { type: "object" } });
    const deployment = await inTenant(tenant, () =>
      deploymentModel.create({
        name: "summary",
        promptId: prompt.id,
        promptVersion: null,
        provider: "openai",
        model: "gpt-pinned",
        options: { temperature: 0.2, max_tokens: 50 },
      }),
    );
    const plain = await createExecution(tenant, prompt, { provider: "openai", input: { topic: "tides" } });
    const deployed = await createExecution(tenant, prompt, {
      provider: "openai",
      model: "gpt-pinned",
      deploymentId: deployment.id,
      input: { topic: "moons" },
    });
    llm.requests.length = 0;
    const tick = await new ExecutionWorker({ concurrency: 1, outbound: outbound() }).runOnce();
    expect(tick).toMatchObject({ processed: 2, completed: 2, failed: 0 });

    const first = await getExecution(tenant, plain.id);
    expectSettled(first, "completed");
    expect(first.result).toBe("echo(gpt-default): Summarize tides");
    expect((await getExecution(tenant, deployed.id)).result).toBe("echo(gpt-pinned): Summarize moons");

    expect(llm.requests).toHaveLength(2);
    for (const request of llm.requests) {
      expect(request.path).toBe("/ok/v1/chat/completions");
      expect(request.authorization).toBe(`Bearer ${API_KEY}`);
    }
    const sorted = [...llm.requests].sort((a, b) => String(a.body.model).localeCompare(String(b.body.model)));
    expect(sorted[0]?.body).toEqual({
      model: "gpt-default",
      messages: [{ role: "user", content: "Summarize tides" }],
      response_format: { type: "json_schema", json_schema: { name: "response", schema: { type: "object" } } },
    });
    expect(sorted[1]?.body).toMatchObject({ model: "gpt-pinned", temperature: 0.2, max_tokens: 50, messages: [{ role: "user", content: "Summarize moons" }] });
    expect(sorted[1]?.body).not.toHaveProperty("stream");
    // Usage: this fake reports none, so the execution's tokens stay unknown; the latency is measured.
    expect(first.inputTokens).toBeNull();
    expect(first.latencyMs).toEqual(expect.any(Number));
  });

  test("a key sealed under another installation's secret key fails its execution clearly and is never sent", async () => {
    const tenant = await newTenant("wk-openai-foreign-key");
    // As if shared.sqlite were restored without its key file: the stored value names an unknown key.
    const foreign = new SecretVault(env.dataDir, randomBytes(32)).seal(API_KEY);
    await configure(tenant, "openai", { ...settingsFor("/ok"), apiKey: foreign });
    const prompt = await createPrompt(tenant, "hi");
    const execution = await createExecution(tenant, prompt, { provider: "openai" });
    llm.requests.length = 0;
    expect(await new ExecutionWorker({ concurrency: 1 }).runOnce()).toMatchObject({ processed: 1, failed: 1 });
    const failed = await getExecution(tenant, execution.id);
    expectSettled(failed, "failed");
    expect(failed.error).toMatch(/API key of provider "openai" cannot be decrypted .* save the provider's key again/);
    expect(llm.requests).toHaveLength(0);
  });

  test("HTTP 500, malformed JSON, a non-completion body and a timeout fail clearly without the API key", async () => {
    const tenant = await newTenant("wk-openai-bad");
    await configure(tenant, "broken", settingsFor("/error500"));
    await configure(tenant, "garbled", settingsFor("/malformed"));
    await configure(tenant, "shapeless", settingsFor("/shapeless"));
    await configure(tenant, "sleepy", settingsFor("/slow"));
    const nobodyPort = await closedPort();
    await configure(tenant, "nobody", { ...settingsFor(""), baseUrl: `http://127.0.0.1:${nobodyPort}` });
    await configure(tenant, "openai", settingsFor("/ok"));
    const prompt = await createPrompt(tenant, "hi");
    const providers = ["broken", "garbled", "shapeless", "sleepy", "nobody", "openai"];
    const rows = new Map<string, ExecutionRow>();
    for (const provider of providers) rows.set(provider, await createExecution(tenant, prompt, { provider }));

    const started = Date.now();
    // One attempt each: retries are the fakes' tests' (test/providers.integration.test.ts).
    const tick = await new ExecutionWorker({
      providerTimeoutMs: 400,
      providerMaxAttempts: 1,
      concurrency: 2,
      outbound: outbound(`127.0.0.1:${nobodyPort}`),
    }).runOnce();
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(tick).toMatchObject({ processed: 6, completed: 1, failed: 5 });

    const errorOf = async (provider: string) => {
      const row = await getExecution(tenant, rows.get(provider)?.id ?? "");
      expectSettled(row, "failed");
      expect(row.error).not.toContain(API_KEY);
      expect(row.error).not.toContain("SECRET");
      return row.error ?? "";
    };
    // Only the provider's own OpenAI-format error message is shown, never the rest of a body.
    expect(await errorOf("broken")).toBe('Provider "broken" (openai-compatible) answered HTTP 500: upstream exploded');
    expect(await errorOf("garbled")).toBe('Provider "garbled" (openai-compatible) answered HTTP 200 without JSON.');
    expect(await errorOf("shapeless")).toBe(
      'Provider "shapeless" (openai-compatible) answered without a chat completion (expected JSON with choices[0].message.content).',
    );
    expect(await errorOf("sleepy")).toBe('Provider "sleepy" (openai-compatible) did not answer within 400 ms.');
    expect(await errorOf("nobody")).toBe('Provider "nobody" (openai-compatible) could not be reached.');
    expect((await getExecution(tenant, rows.get("openai")?.id ?? "")).result).toBe("echo(gpt-default): hi");
  });

  test("missing or malformed provider settings fail clearly; another tenant's settings are never used", async () => {
    const configured = await newTenant("wk-has-provider");
    const bare = await newTenant("wk-no-provider");
    await configure(configured, "openai", settingsFor("/ok"));
    await configure(bare, "half", { baseUrl: "ftp://example.test", apiKey: API_KEY });
    const prompt = await createPrompt(bare, "hi");
    const missing = await createExecution(bare, prompt, { provider: "openai" });
    const malformed = await createExecution(bare, prompt, { provider: "half" });
    llm.requests.length = 0;
    expect(await new ExecutionWorker().runOnce()).toMatchObject({ processed: 2, failed: 2 });

    const missingRow = await getExecution(bare, missing.id);
    expectSettled(missingRow, "failed");
    expect(missingRow.error).toBe(
      'No provider "openai" is configured for this tenant: an admin must save the provider settings "openai" ' +
        '(kind, base URL, API key, default model), or use the built-in "template" provider.',
    );
    const malformedRow = await getExecution(bare, malformed.id);
    expectSettled(malformedRow, "failed");
    expect(malformedRow.error).toBe('The settings of provider "half" are incomplete or malformed (baseUrl, defaultModel): an admin must save them again.');
    expect(llm.requests).toHaveLength(0);
  });
});

describe("outbound guard (server-side request forgery)", () => {
  let secret: Server;
  let secretPort = 0;
  let secretHits = 0;
  let rebound: Server;
  let reboundHits = 0;
  beforeAll(async () => {
    // An internal service the installation can reach: its body must never show in an execution.
    secret = createServer((_req, res) => {
      secretHits += 1;
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { message: "internal-secret-token-77" } }));
    });
    await new Promise<void>((resolve) => secret.listen(0, "127.0.0.1", resolve));
    secretPort = (secret.address() as AddressInfo).port;
    redirectTarget = `http://127.0.0.1:${secretPort}/v1`;
    // Where a rebound name would lead: another loopback address, on the fake LLM's port.
    rebound = createServer((_req, res) => {
      reboundHits += 1;
      res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { message: "rebound-secret-88" } }));
    });
    await new Promise<void>((resolve) => rebound.listen(Number(new URL(llm.url).port), "127.0.0.2", resolve));
  });
  afterAll(async () => {
    for (const server of [secret, rebound]) {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  test("loopback, private names, redirects and foreign bodies: the tenant sees 'could not be reached' or the HTTP status only", async () => {
    const tenant = await newTenant("wk-ssrf");
    const llmPort = Number(new URL(llm.url).port);
    const providers: Record<string, string> = {
      internal: `http://127.0.0.1:${secretPort}/v1`,
      numeric: `http://2130706433:${secretPort}/v1`,
      mapped: `http://[::ffff:127.0.0.1]:${secretPort}/v1`,
      metadata: "http://169.254.169.254/latest/meta-data",
      named: `http://models.corp.example:${secretPort}/v1`,
      closed: `http://127.0.0.1:${await closedPort()}/v1`,
      redirected: `${llm.url}/redirect/v1`,
      leaky: `${llm.url}/leaky/v1`,
      rebinding: `http://rebind.example.test:${llmPort}/ok`,
    };
    const prompt = await createPrompt(tenant, "hi");
    const rows = new Map<string, ExecutionRow>();
    for (const [name, baseUrl] of Object.entries(providers)) {
      await inTenant(tenant, () => settingsModel.upsert("provider", name, { baseUrl, apiKey: API_KEY, defaultModel: "m" }));
      rows.set(name, await createExecution(tenant, prompt, { provider: name }));
    }
    const resolved: string[] = [];
    let rebindCalls = 0;
    const events: WorkerEvent[] = [];
    const worker = new ExecutionWorker({
      concurrency: 1,
      providerTimeoutMs: 2_000,
      providerMaxAttempts: 1,
      onEvent: (event) => events.push(event),
      outbound: {
        // The fake LLM is allow-listed (by address), and "closed" so that it is really unreachable.
        allow: parseOutboundAllow(`127.0.0.1:${llmPort},${new URL(providers.closed ?? "").host}`),
        resolve: async (hostname) => {
          resolved.push(hostname);
          if (hostname === "rebind.example.test") return [{ address: rebindCalls++ === 0 ? "127.0.0.1" : "127.0.0.2", family: 4 }];
          return [{ address: "10.20.30.40", family: 4 }];
        },
      },
    });
    llm.requests.length = 0;
    expect(await worker.runOnce()).toMatchObject({ processed: 9, completed: 1, failed: 8 });

    const errorOf = async (name: string) => (await getExecution(tenant, rows.get(name)?.id ?? "")).error;
    // Refused and unreachable read the same: no probing which internal addresses or ports exist.
    for (const name of ["internal", "numeric", "mapped", "metadata", "named", "closed"]) {
      expect(await errorOf(name)).toBe(`Provider "${name}" (openai-compatible) could not be reached.`);
    }
    expect(await errorOf("redirected")).toBe('Provider "redirected" (openai-compatible) answered HTTP 302.');
    expect(await errorOf("leaky")).toBe('Provider "leaky" (openai-compatible) answered HTTP 500.');
    // Rebinding: resolved once, connected to the checked address (the fake LLM), never to the second answer.
    const rebinding = await getExecution(tenant, rows.get("rebinding")?.id ?? "");
    expect(rebinding.result).toBe("echo(m): hi");
    expect(llm.requests.map((request) => request.path)).toEqual(["/ok/chat/completions"]);
    expect(rebindCalls).toBe(1);
    expect(reboundHits).toBe(0);

    // The operator's log says why (the worker event's detail); the execution does not.
    const detailOf = (name: string) => {
      const event = events.find((e) => e.type === "execution" && e.executionId === rows.get(name)?.id);
      return event?.type === "execution" ? event.detail : undefined;
    };
    expect(detailOf("named")).toMatch(/models\.corp\.example resolves to 10\.20\.30\.40, a private address/);
    expect(detailOf("metadata")).toMatch(/169\.254\.169\.254, a cloud metadata address/);
    expect(detailOf("closed")).toMatch(/connecting to 127\.0\.0\.1:\d+ failed/);
    expect(detailOf("leaky")).toBeNull();

    expect(secretHits).toBe(0);
    expect(resolved.sort()).toEqual(["models.corp.example", "rebind.example.test"]);
    const all = await inTenant(tenant, () => executionModel.findMany());
    for (const row of all) {
      expect(`${row.error ?? ""}${row.result ?? ""}`).not.toMatch(/internal-secret-token-77|db-password-42|rebound-secret-88|SECRET/);
    }
  });
});

describe("attached files", () => {
  test("files reach the template (text content for text/* only) and the provider", async () => {
    const tenant = await newTenant("wk-files");
    const other = await newTenant("wk-files-other");
    const prompt = await createPrompt(tenant, "{{#files}}[{{name}} {{mimeType}} {{size}}B: {{text}}]{{/files}} q={{q}}", { acceptsFiles: true });
    const noFiles = await createPrompt(tenant, "no files {{q}}");
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const [notes, image] = await inTenant(tenant, async () => [
      await fileModel.store({ name: "notes.txt", mimeType: "text/plain", content: Buffer.from("héllo <world>") }),
      await fileModel.store({ name: "pic.png", mimeType: "image/png", content: png }),
    ]);
    const foreign = await inTenant(other, () => fileModel.store({ name: "secret.txt", mimeType: "text/plain", content: Buffer.from("other tenant") }));
    if (!notes || !image) throw new Error("files not stored");

    const withFiles = await createExecution(tenant, prompt, { fileIds: [notes.id, image.id], input: { q: 1 } });
    const spied = await createExecution(tenant, prompt, { fileIds: [image.id], provider: "spy" });
    const missing = await createExecution(tenant, prompt, { fileIds: [notes.id, randomUUID()] });
    const crossTenant = await createExecution(tenant, prompt, { fileIds: [foreign.id] });
    const refused = await createExecution(tenant, noFiles, { fileIds: [notes.id] });
    const none = await createExecution(tenant, prompt, { input: { q: 2 } });

    const received: ProviderRequest[] = [];
    const spy: ExecutionProvider = {
      name: "spy",
      kind: "test",
      run: async (request) => {
        received.push(request);
        return { output: "spied", usage: null };
      },
    };
    expect(await new ExecutionWorker({ providers: { spy } }).runOnce()).toMatchObject({ processed: 6, completed: 3, failed: 3 });

    const done = await getExecution(tenant, withFiles.id);
    expectSettled(done, "completed");
    expect(done.result).toBe(`[notes.txt text/plain ${Buffer.byteLength("héllo <world>")}B: héllo <world>][pic.png image/png 8B: ] q=1`);
    expect((await getExecution(tenant, none.id)).result).toBe(" q=2");
    expect(received).toHaveLength(1);
    expect(received[0]?.files).toEqual([{ name: "pic.png", mimeType: "image/png", content: png }]);
    expect(Buffer.isBuffer(received[0]?.files[0]?.content)).toBe(true);
    expect((await getExecution(tenant, spied.id)).result).toBe("spied");

    const missingId = missing.fileIds[1];
    expect((await getExecution(tenant, missing.id)).error).toBe(`The attached file ${missingId} does not exist (it may have been deleted).`);
    expect((await getExecution(tenant, crossTenant.id)).error).toBe(`The attached file ${foreign.id} does not exist (it may have been deleted).`);
    expect((await getExecution(tenant, refused.id)).error).toBe(`Prompt "${noFiles.name}" (version 1) does not accept files, but 1 file(s) were attached.`);
  });
});

describe("crash recovery", () => {
  test("an execution left running by a killed worker is retried once its lease expired, not before; then failed when attempts are used up", async () => {
    const tenant = await newTenant("wk-crash");
    const prompt = await createPrompt(tenant, "survived {{n}}");
    const retried = await createExecution(tenant, prompt, { input: { n: 1 } });

    // 1. A worker claims it (lease 2 s) and is killed mid-execution.
    const killedAt = Date.now();
    const killedWorker = await runAndKillHangingWorker(tenant, { leaseMs: 2_000 });
    const left = await getExecution(tenant, retried.id);
    expect(left).toMatchObject({ status: "running", attempts: 1, claimedBy: killedWorker });
    expect(left.leaseExpiresAt?.getTime()).toBeGreaterThan(killedAt);
    expect((await tenantWorkModel.find(tenant.id))?.leaseCheckAt).toBe(left.leaseExpiresAt?.getTime());

    // 2. Before the lease expires, neither a restarted worker nor a tick takes it…
    const restarted = new ExecutionWorker({ maxAttempts: 3, recoveryIntervalMs: 100, leaseMs: 5_000 });
    expect(await restarted.recoverOnStartup()).toEqual({ retried: 0, failed: 0, errors: [] });
    expect(await restarted.runOnce()).toMatchObject({ processed: 0, recovered: { retried: 0, failed: 0 } });
    expect((await getExecution(tenant, retried.id)).status).toBe("running");
    // …after it, a tick's recovery gives it back and the same tick completes it.
    await sleepUntil((left.leaseExpiresAt?.getTime() ?? 0) + 50);
    expect(await restarted.runOnce()).toMatchObject({ processed: 1, completed: 1, recovered: { retried: 1, failed: 0 } });
    const recovered = await getExecution(tenant, retried.id);
    expectSettled(recovered, "completed");
    expect(recovered).toMatchObject({ result: "survived 1", attempts: 2, error: null, claimedBy: restarted.id, leaseExpiresAt: null });
    // Nothing runs any more: the tenant's lease check is gone, so recovery will not open its file again.
    expect((await tenantWorkModel.find(tenant.id))?.leaseCheckAt).toBeNull();

    // 3. Killed on every attempt: with maxAttempts 2 it fails after the second crash.
    const doomed = await createExecution(tenant, prompt, { input: { n: 2 } });
    const worker = new ExecutionWorker({ maxAttempts: 2, leaseMs: 1_500, recoveryIntervalMs: 100 });
    await runAndKillHangingWorker(tenant, { leaseMs: 1_000 });
    await sleep(1_100);
    expect(await worker.recoverOnStartup()).toMatchObject({ retried: 1, failed: 0 });
    await runAndKillHangingWorker(tenant, { leaseMs: 1_000 });
    expect(await getExecution(tenant, doomed.id)).toMatchObject({ status: "running", attempts: 2 });
    await sleep(1_100);
    expect(await worker.runOnce()).toMatchObject({ processed: 0, recovered: { retried: 0, failed: 1 } });
    const failed = await getExecution(tenant, doomed.id);
    expectSettled(failed, "failed");
    expect(failed.error).toMatch(/The worker stopped while running this execution, 2 attempt\(s\) of 2/);
    expect((await inTenant(tenant, () => executionModel.stats())).byStatus).toMatchObject({ running: 0, pending: 0 });
  });
});

describe("crash recovery of a suspended tenant", () => {
  test("executions left running when the tenant was suspended are recovered and run once it is reactivated", async () => {
    const tenant = await newTenant("wk-suspended-crash");
    const prompt = await createPrompt(tenant, "back {{n}}");
    const execution = await createExecution(tenant, prompt, { input: { n: 1 } });

    await runAndKillHangingWorker(tenant, { leaseMs: 1_000 });
    await tenantModel.suspend(tenant.id);
    expect(await getExecution(tenant, execution.id)).toMatchObject({ status: "running", attempts: 1 });
    await sleep(1_100);

    const restarted = new ExecutionWorker({ maxAttempts: 3 });
    expect(await restarted.recoverOnStartup()).toEqual({ retried: 1, failed: 0, errors: [] });
    expect(await getExecution(tenant, execution.id)).toMatchObject({ status: "pending", attempts: 1, startedAt: null, claimedBy: null });
    // A suspended tenant's executions are recovered but not run, and it keeps its mark…
    expect(await restarted.runOnce()).toMatchObject({ processed: 0 });
    expect((await getExecution(tenant, execution.id)).status).toBe("pending");
    expect((await tenantWorkModel.find(tenant.id))?.pendingSince).not.toBeNull();

    // …until it is reactivated.
    await tenantModel.reactivate(tenant.id);
    expect(await restarted.runOnce()).toMatchObject({ processed: 1, completed: 1 });
    const done = await getExecution(tenant, execution.id);
    expectSettled(done, "completed");
    expect(done).toMatchObject({ result: "back 1", attempts: 2 });
  });
});

describe("polling loop", () => {
  test("start() picks up new executions; stop() claims nothing more and waits for the ones in flight", async () => {
    const tenant = await newTenant("wk-loop");
    const prompt = await createPrompt(tenant, "loop {{n}}");
    let release: (() => void) | undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let calls = 0;
    const slow: ExecutionProvider = {
      name: "slow",
      kind: "test",
      run: async (request, signal) => {
        calls += 1;
        await gate;
        return templateProvider.run(request, signal);
      },
    };
    const events: WorkerEvent[] = [];
    const worker = new ExecutionWorker({ providers: { slow }, pollIntervalMs: 20, concurrency: 1, onEvent: (event) => events.push(event) });
    worker.start();
    expect(worker.running).toBe(true);
    const first = await createExecution(tenant, prompt, { provider: "slow", input: { n: 1 } });
    const second = await createExecution(tenant, prompt, { provider: "slow", input: { n: 2 } });
    await waitFor(async () => (await getExecution(tenant, first.id)).status === "running" || (await getExecution(tenant, second.id)).status === "running");

    const stopped = worker.stop();
    let stopDone = false;
    void stopped.then(() => (stopDone = true));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(stopDone).toBe(false); // still waiting for the in-flight execution
    release?.();
    await stopped;
    expect(worker.running).toBe(false);
    expect(calls).toBe(1);
    const statuses = [await getExecution(tenant, first.id), await getExecution(tenant, second.id)].map((row) => row.status).sort();
    expect(statuses).toEqual(["completed", "pending"]);
    expect(events.filter((event) => event.type === "execution")).toHaveLength(1);

    // A new loop takes the rest.
    worker.start();
    await waitFor(async () => (await getExecution(tenant, second.id)).status !== "pending" && (await getExecution(tenant, first.id)).status !== "pending");
    await worker.stop();
    expect((await inTenant(tenant, () => executionModel.stats())).byStatus).toMatchObject({ completed: 2, pending: 0, running: 0 });
  });

  test("options are validated", () => {
    expect(() => new ExecutionWorker({ leaseMs: 1_000, executionTimeoutMs: 1_000 })).toThrow(/must be below leaseMs/);
    expect(() => new ExecutionWorker({ maxAttempts: 0 })).toThrow(/maxAttempts/);
    expect(() => new ExecutionWorker({ recoveryIntervalMs: 0 })).toThrow(/recoveryIntervalMs/);
    expect(new ExecutionWorker({ leaseMs: 1_500 }).executionTimeoutMs).toBe(1_000);
    expect(new ExecutionWorker().executionTimeoutMs).toBe(120_000);
    const [a, b] = [new ExecutionWorker(), new ExecutionWorker()];
    expect(a.id).toMatch(new RegExp(`:${process.pid}:[0-9a-f]{8}$`));
    expect(a.id).not.toBe(b.id);
  });
});

describe("worker script", () => {
  test("scripts/worker.ts recovers, logs one JSON line per execution and stops cleanly on SIGTERM", async () => {
    const tenant = await newTenant("wk-script");
    const prompt = await createPrompt(tenant, "from the script {{n}}");
    const rows = [await createExecution(tenant, prompt, { input: { n: 1 } }), await createExecution(tenant, prompt, { input: { n: 2 } })];
    const child = spawn(process.execPath, ["--import", "tsx", "scripts/worker.ts"], {
      cwd: API_DIR,
      env: { ...process.env, DATA_DIR: env.dataDir, WORKER_POLL_INTERVAL_MS: "50", LOG_FORMAT: "json", LOG_LEVEL: "info" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const lines = () =>
      stdout
        .split("\n")
        .filter((line) => line.trim() !== "")
        .map((line) => JSON.parse(line) as Record<string, unknown>);
    const completed = () => lines().filter((line) => line.msg === "execution completed" && line.slug === "wk-script");
    try {
      await waitFor(() => Promise.resolve(completed().length === 2), 30_000);
    } finally {
      child.kill("SIGTERM");
    }
    expect(await exited).toBe(0);
    expect(stderr).toBe("");
    expect(lines()).toContainEqual(expect.objectContaining({ msg: "execution worker starting", dataDir: env.dataDir }));
    expect(lines().some((line) => String(line.msg).startsWith("SIGTERM: stopping"))).toBe(true);
    expect(lines().at(-1)?.msg).toBe("Worker stopped.");
    for (const row of rows) {
      expect(completed()).toContainEqual(
        expect.objectContaining({ executionId: row.id, provider: "template", attempt: 1, durationMs: expect.any(Number) as number }),
      );
      expect((await getExecution(tenant, row.id)).status).toBe("completed");
    }
  });
});

// ---- helpers ----

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Starts test/fixtures/worker-hang.ts, waits until it has claimed an execution, SIGKILLs it; returns its worker id. */
async function runAndKillHangingWorker(tenant: TenantRow, options: { leaseMs: number }): Promise<string> {
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", "test/fixtures/worker-hang.ts"], {
    cwd: API_DIR,
    env: { ...process.env, DATA_DIR: env.dataDir, LEASE_MS: String(options.leaseMs) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.on("exit", (code, signal) => resolve(signal ?? code)));
  let stdout = "";
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the hanging worker claimed nothing in time\n${stdout}\n${stderr}`)), 30_000);
      child.stdout?.on("data", (chunk: Buffer) => {
        stdout += chunk.toString();
        if (stdout.includes("\n")) {
          clearTimeout(timer);
          resolve();
        }
      });
      void exited.then((how) => {
        clearTimeout(timer);
        reject(new Error(`the hanging worker exited (${String(how)})\n${stdout}\n${stderr}`));
      });
    });
    expect(stdout).toMatch(new RegExp(`^claimed ${tenant.id} \\S+:\\d+:[0-9a-f]{8}\n$`));
  } finally {
    child.kill("SIGKILL");
  }
  expect(await exited).toBe("SIGKILL");
  return stdout.trim().split(" ")[2] ?? "";
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function sleepUntil(time: number): Promise<void> {
  await sleep(Math.max(0, time - Date.now()));
}

interface RecordedRequest {
  path: string;
  authorization: string | undefined;
  body: Record<string, unknown>;
}
interface FakeLlm {
  url: string;
  requests: RecordedRequest[];
  close: () => Promise<void>;
}

/** Where the fake LLM's `/redirect/` path points (set by a test). */
let redirectTarget = "http://127.0.0.1:1/";

/** A local OpenAI-compatible server: the path prefix chooses how it behaves. */
async function startFakeLlm(): Promise<FakeLlm> {
  const requests: RecordedRequest[] = [];
  const server: Server = createServer((req, res) => {
    void readBody(req).then((raw) => {
      const path = req.url ?? "";
      if (path.startsWith("/slow/")) return; // never answers
      if (path.startsWith("/error500/")) {
        res.writeHead(500, { "content-type": "application/json" });
        res.end(JSON.stringify({ error: { message: "upstream exploded" }, echo: req.headers.authorization, padding: "x".repeat(2_000) }));
        return;
      }
      if (path.startsWith("/redirect/")) {
        res.writeHead(302, { location: redirectTarget });
        res.end();
        return;
      }
      if (path.startsWith("/leaky/")) {
        res.writeHead(500, { "content-type": "application/json" });
        res.end(JSON.stringify({ detail: "internal stack trace with db-password-42" }));
        return;
      }
      if (path.startsWith("/malformed/")) {
        res.writeHead(200, { "content-type": "application/json" });
        res.end("<html>oops</html>");
        return;
      }
      if (path.startsWith("/shapeless/")) {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ object: "chat.completion", choices: [] }));
        return;
      }
      const body = JSON.parse(raw) as { model?: string; messages?: { content?: string }[] };
      requests.push({ path, authorization: req.headers.authorization, body });
      res.writeHead(200, { "content-type": "application/json" });
      res.end(
        JSON.stringify({
          id: "chatcmpl-test",
          object: "chat.completion",
          model: body.model,
          choices: [
            { index: 0, finish_reason: "stop", message: { role: "assistant", content: `echo(${body.model ?? "?"}): ${body.messages?.[0]?.content ?? ""}` } },
          ],
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A port nothing listens on (bound, then released). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
