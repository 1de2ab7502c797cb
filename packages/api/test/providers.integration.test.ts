/**
 * The native providers end to end: settings saved through the HTTP handler, executions created
 * through it, run by the worker against the local fake servers (test/fakes, one per wire format),
 * read back through it. Each kind: tokens from its usage block, the structured-output request,
 * images and PDFs, its error format; retries honouring Retry-After; the per-tenant concurrency
 * limit; option validation; deactivated providers; model lists and "test connection".
 */
import { auditLogModel, executionModel, tenantContext, type ExecutionRow, type TenantRow } from "@sigil/db";
import type { ProviderKind } from "@sigil/validators";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { parseOutboundAllow } from "../src/outbound/allow-list.ts";
import { ExecutionWorker } from "../src/worker/execution-worker.ts";
import { startFakeAnthropic, startFakeGemini, startFakeOllama, startFakeOpenAI, type FakeProvider, type RecordedRequest } from "./fakes/index.ts";
import { call, createTenantWithUsers, login, useTestEnv, type CallOptions, type CallResult, type TestEnv } from "./harness.ts";

const KEY = "sk-fake-0123456789";
let env: TestEnv;
let tenant: TenantRow;
let admin: CallOptions;
let user: CallOptions;
let fakes: { anthropic: FakeProvider; openai: FakeProvider; gemini: FakeProvider; ollama: FakeProvider };
let savedAllow: string | undefined;

const BASE: Record<ProviderKind, () => string> = {
  anthropic: () => fakes.anthropic.url,
  openai: () => `${fakes.openai.url}/v1`,
  "openai-responses": () => `${fakes.openai.url}/v1`,
  gemini: () => fakes.gemini.url,
  ollama: () => fakes.ollama.url,
  "openai-compatible": () => fakes.openai.url,
};
const FAKE_OF: Record<ProviderKind, () => FakeProvider> = {
  anthropic: () => fakes.anthropic,
  openai: () => fakes.openai,
  "openai-responses": () => fakes.openai,
  gemini: () => fakes.gemini,
  ollama: () => fakes.ollama,
  "openai-compatible": () => fakes.openai,
};
const KINDS = Object.keys(BASE) as ProviderKind[];

beforeAll(async () => {
  env = await useTestEnv();
  fakes = {
    anthropic: await startFakeAnthropic({ apiKey: KEY }),
    openai: await startFakeOpenAI({ apiKey: KEY }),
    gemini: await startFakeGemini({ apiKey: KEY }),
    ollama: await startFakeOllama(),
  };
  // The API reads SIGIL_OUTBOUND_ALLOW per call in tests (harness.ts): the fakes are local servers.
  savedAllow = process.env.SIGIL_OUTBOUND_ALLOW;
  process.env.SIGIL_OUTBOUND_ALLOW = Object.values(fakes)
    .map((fake) => `127.0.0.1:${fake.port}`)
    .join(",");
  const created = await createTenantWithUsers("prov");
  tenant = created.tenant;
  admin = { tenant: "prov", cookie: await login("prov", "admin@prov.test") };
  user = { tenant: "prov", cookie: await login("prov", "user@prov.test") };
  for (const kind of KINDS) await saveProvider(kind, { kind });
});
afterAll(async () => {
  if (savedAllow === undefined) delete process.env.SIGIL_OUTBOUND_ALLOW;
  else process.env.SIGIL_OUTBOUND_ALLOW = savedAllow;
  await Promise.all(Object.values(fakes).map((fake) => fake.close()));
  env.cleanup();
});
beforeEach(() => {
  for (const fake of Object.values(fakes)) fake.reset();
});

const q = <T>(path: string, input: unknown, options = admin) => call<T>("query", path, input, options);
const m = <T>(path: string, input: unknown, options = admin) => call<T>("mutation", path, input, options);

function ok<T>(result: CallResult<T>): T {
  if (result.error) throw new Error(`expected success, got ${result.status}: ${result.error.message}`);
  return result.data as T;
}
function refused(result: CallResult, status: number, message: RegExp): void {
  expect(result.error?.message ?? `no error (data ${JSON.stringify(result.data)})`).toMatch(message);
  expect(result.status).toBe(status);
}

function saveProvider(identifier: string, overrides: Record<string, unknown> & { kind: ProviderKind }) {
  return m("settings.saveProvider", {
    identifier,
    baseUrl: BASE[overrides.kind](),
    apiKey: overrides.kind === "ollama" ? undefined : KEY,
    defaultModel: "fake-large",
    ...overrides,
  }).then(ok);
}

async function prompt(template: string, extra: Record<string, unknown> = {}): Promise<{ id: string }> {
  return ok(await m<{ id: string }>("prompts.create", { name: `p-${crypto.randomUUID()}`, template, ...extra }));
}

async function upload(name: string, mimeType: string, content: string): Promise<string> {
  const file = ok(await m<{ id: string }>("files.upload", { name, mimeType, contentBase64: Buffer.from(content).toString("base64") }));
  return file.id;
}

function worker(options: ConstructorParameters<typeof ExecutionWorker>[0] = {}): ExecutionWorker {
  return new ExecutionWorker({ outbound: { allow: parseOutboundAllow(process.env.SIGIL_OUTBOUND_ALLOW ?? "") }, wakeOnSignal: false, ...options });
}

async function run(provider: string, promptId: string, extra: Record<string, unknown> = {}, runner = worker()): Promise<ExecutionRow> {
  const created = ok(await m<ExecutionRow>("executions.create", { promptId, provider, input: { name: "Ada Lovelace" }, ...extra }, user));
  await runner.runOnce();
  return ok(await q<ExecutionRow>("executions.get", { id: created.id }, user));
}

const header = (request: RecordedRequest | undefined, name: string) => request?.headers[name];
const onlyGeneration = (fake: FakeProvider) => {
  const [first, ...rest] = fake.generations();
  expect(rest).toHaveLength(0);
  return first;
};

describe("each provider kind against its fake", () => {
  test.each(KINDS)("%s: output, tokens from its usage block, latency, and its own credentials", async (kind) => {
    const { id } = await prompt("Greet {{name}} warmly");
    const execution = await run(kind, id);
    expect(execution).toMatchObject({ status: "completed", result: "echo: Greet Ada Lovelace warmly", model: "fake-large" });
    // The fakes count words: 4 in, 5 out ("echo:" + the 4 words).
    expect(execution).toMatchObject({ inputTokens: 4, outputTokens: 5 });
    expect(execution.latencyMs).toEqual(expect.any(Number));
    const sent = onlyGeneration(FAKE_OF[kind]());
    if (kind === "anthropic") {
      expect(header(sent, "x-api-key")).toBe(KEY);
      expect(header(sent, "anthropic-version")).toBe("2023-06-01");
      expect(header(sent, "authorization")).toBeUndefined();
    } else if (kind === "gemini") {
      expect(sent?.url).toBe("/v1beta/models/fake-large:generateContent");
      expect(header(sent, "x-goog-api-key")).toBe(KEY);
    } else if (kind === "ollama") {
      expect(sent?.url).toBe("/api/chat");
      expect(header(sent, "authorization")).toBeUndefined();
    } else {
      expect(header(sent, "authorization")).toBe(`Bearer ${KEY}`);
      expect(sent?.url).toBe(kind === "openai-responses" ? "/v1/responses" : kind === "openai" ? "/v1/chat/completions" : "/chat/completions");
    }
    // The month's token counter got them too (executionModel.finish).
    const usage = await tenantContext.runWithTenant(tenant.id, () => executionModel.findById(execution.id));
    expect(usage?.inputTokens).toBe(4);
  });

  test("structured output is asked for in each provider's own way", async () => {
    const schema = { type: "object", properties: { echo: { type: "string" } }, required: ["echo"] };
    const { id } = await prompt("Answer {{name}}", { responseSchema: schema });
    for (const kind of KINDS) {
      const execution = await run(kind, id);
      expect(execution, kind).toMatchObject({ status: "completed", result: JSON.stringify({ echo: "Answer Ada Lovelace" }) });
    }
    const bodies = (fake: FakeProvider) => fake.generations().map((request) => request.body as Record<string, unknown>);
    expect(bodies(fakes.anthropic)[0]).toMatchObject({
      tools: [{ name: "structured_response", input_schema: schema }],
      tool_choice: { type: "tool", name: "structured_response" },
    });
    const [chat, responses, compatible] = bodies(fakes.openai);
    expect(chat).toMatchObject({ response_format: { type: "json_schema", json_schema: { name: "response", schema } } });
    expect(responses).toMatchObject({ text: { format: { type: "json_schema", name: "response", schema } } });
    expect(compatible).toMatchObject({ response_format: { type: "json_schema" } });
    expect(bodies(fakes.gemini)[0]).toMatchObject({ generationConfig: { responseMimeType: "application/json", responseJsonSchema: schema } });
    expect(bodies(fakes.ollama)[0]).toMatchObject({ format: schema, stream: false });
  });

  test("images and PDFs go in each provider's format; a provider without PDF support says so", async () => {
    const { id } = await prompt("Describe the files", { acceptsFiles: true });
    const fileIds = [await upload("cat.png", "image/png", "PNG-BYTES"), await upload("report.pdf", "application/pdf", "%PDF-1.7 fake")];
    const png = Buffer.from("PNG-BYTES").toString("base64");
    const pdf = Buffer.from("%PDF-1.7 fake").toString("base64");

    for (const kind of ["anthropic", "openai", "openai-responses", "gemini"] as const) {
      expect((await run(kind, id, { fileIds })).status, kind).toBe("completed");
    }
    expect(JSON.stringify(fakes.anthropic.generations()[0]?.body)).toContain(
      JSON.stringify({ type: "document", source: { type: "base64", media_type: "application/pdf", data: pdf } }),
    );
    const [chat, responses] = fakes.openai.generations().map((request) => JSON.stringify(request.body));
    expect(chat).toContain(JSON.stringify({ type: "image_url", image_url: { url: `data:image/png;base64,${png}` } }));
    expect(responses).toContain(JSON.stringify({ type: "input_file", filename: "report.pdf", file_data: `data:application/pdf;base64,${pdf}` }));
    expect(JSON.stringify(fakes.gemini.generations()[0]?.body)).toContain(JSON.stringify({ inline_data: { mime_type: "image/png", data: png } }));

    const ollama = await run("ollama", id, { fileIds });
    expect(ollama).toMatchObject({ status: "failed", error: 'Provider "ollama" (ollama) does not accept PDF files; "report.pdf" cannot be sent to it.' });
    expect(fakes.ollama.generations()).toHaveLength(0);
    const imageOnly = await run("ollama", id, { fileIds: fileIds.slice(0, 1) });
    expect(imageOnly.status).toBe("completed");
    expect(fakes.ollama.generations()[0]?.body).toMatchObject({ messages: [{ images: [png] }] });
  });

  test("each provider's error body becomes a clear message; a wrong key is not retried", async () => {
    const { id } = await prompt("Hi {{name}}");
    fakes.anthropic.misbehave({ kind: "error", status: 400, message: "messages.0.content: text too long", type: "invalid_request_error" });
    expect((await run("anthropic", id)).error).toBe(
      'Provider "anthropic" (anthropic) answered HTTP 400: messages.0.content: text too long (invalid_request_error)',
    );
    fakes.gemini.misbehave({ kind: "error", status: 404, message: "models/fake-large is not found for API version v1beta" });
    expect((await run("gemini", id)).error).toBe(
      'Provider "gemini" (gemini) answered HTTP 404: models/fake-large is not found for API version v1beta (NOT_FOUND)',
    );
    expect((await run("ollama", id, { model: "missing-model" })).error).toBe(
      'Provider "ollama" (ollama) answered HTTP 404: model "missing-model" not found, try pulling it first',
    );

    await saveProvider("wrong-key", { kind: "openai", apiKey: "sk-wrong" });
    const wrong = await run("wrong-key", id);
    expect(wrong.error).toMatch(/^Provider "wrong-key" \(openai\) answered HTTP 401: Incorrect API key provided/);
    expect(wrong.error).not.toContain("sk-wrong");
    expect(fakes.openai.requests.filter((request) => request.headers.authorization === "Bearer sk-wrong")).toHaveLength(1);
  });
});

describe("retries", () => {
  test("a 429 is retried after its Retry-After (seconds), then succeeds", async () => {
    const { id } = await prompt("Hi {{name}}");
    fakes.anthropic.misbehave({ kind: "rate-limit", retryAfter: "2" });
    const execution = await run("anthropic", id);
    expect(execution).toMatchObject({ status: "completed", inputTokens: 3 });
    const [first, second] = fakes.anthropic.generations();
    // Backoff alone would have waited at most 500 ms.
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(1_900);
  });

  test("Retry-After as an HTTP date; a 5xx and a 529 are retried with backoff", async () => {
    const { id } = await prompt("Hi {{name}}");
    fakes.openai.misbehave({ kind: "rate-limit", retryAfter: new Date(Date.now() + 2_000).toUTCString() });
    expect((await run("openai", id)).status).toBe("completed");
    const [first, second] = fakes.openai.generations();
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(900);

    fakes.gemini.misbehave({ kind: "server-error", status: 503 }, { kind: "server-error", status: 500 });
    expect((await run("gemini", id)).status).toBe("completed");
    expect(fakes.gemini.generations()).toHaveLength(3);
    fakes.anthropic.misbehave({ kind: "server-error", status: 529 });
    expect((await run("anthropic", id)).status).toBe("completed");
  });

  test("attempts are bounded, and no wait runs past the execution's deadline", async () => {
    const { id } = await prompt("Hi {{name}}");
    fakes.ollama.misbehave(...Array.from({ length: 5 }, () => ({ kind: "server-error" as const })));
    const exhausted = await run("ollama", id, {}, worker({ providerMaxAttempts: 2 }));
    expect(exhausted.error).toBe('Provider "ollama" (ollama) answered HTTP 500: The server had an error while processing your request.');
    expect(fakes.ollama.generations()).toHaveLength(2);

    fakes.anthropic.misbehave({ kind: "rate-limit", retryAfter: "20" });
    const started = Date.now();
    const late = await run("anthropic", id, {}, worker({ executionTimeoutMs: 5_000, leaseMs: 60_000 }));
    expect(Date.now() - started).toBeLessThan(4_000);
    expect(late.error).toBe(
      'Provider "anthropic" (anthropic) answered HTTP 429: Rate limit reached for requests; please retry later. (rate_limit_error) ' +
        "A retry in 20 s would end past the execution's deadline, so it was not tried.",
    );
  });
});

describe("concurrency per tenant and provider", () => {
  test("a provider's maxConcurrency holds across the worker's lanes; another provider is not held up", async () => {
    await saveProvider("one-at-a-time", { kind: "openai-compatible", maxConcurrency: 1 });
    await saveProvider("three-at-a-time", { kind: "anthropic", maxConcurrency: 3 });
    const { id } = await prompt("Hi {{name}}");
    for (let n = 0; n < 3; n += 1) {
      ok(await m("executions.create", { promptId: id, provider: "one-at-a-time", input: { n } }, user));
      ok(await m("executions.create", { promptId: id, provider: "three-at-a-time", input: { n } }, user));
    }
    fakes.openai.setDelay(300);
    fakes.anthropic.setDelay(300);
    const tick = await worker({ concurrency: 6 }).runOnce();
    expect(tick).toMatchObject({ processed: 6, completed: 6 });
    expect(fakes.openai.maxInFlight()).toBe(1);
    expect(fakes.anthropic.maxInFlight()).toBe(3);
  });

  test("the limit is per tenant: another workspace's provider of the same name has its own", async () => {
    await saveProvider("solo", { kind: "openai-compatible", maxConcurrency: 1 });
    await createTenantWithUsers("prov-other");
    const otherAdmin: CallOptions = { tenant: "prov-other", cookie: await login("prov-other", "admin@prov-other.test") };
    ok(
      await m(
        "settings.saveProvider",
        { identifier: "solo", kind: "openai-compatible", baseUrl: fakes.openai.url, apiKey: KEY, defaultModel: "fake-large", maxConcurrency: 1 },
        otherAdmin,
      ),
    );
    const mine = await prompt("Hi {{name}}");
    const theirs = ok(await m<{ id: string }>("prompts.create", { name: "other prompt", template: "Hi {{name}}" }, otherAdmin));
    for (let n = 0; n < 2; n += 1) {
      ok(await m("executions.create", { promptId: mine.id, provider: "solo", input: { n } }, user));
      ok(await m("executions.create", { promptId: theirs.id, provider: "solo", input: { n } }, otherAdmin));
    }
    fakes.openai.setDelay(300);
    expect(await worker({ concurrency: 4 }).runOnce()).toMatchObject({ processed: 4, completed: 4 });
    expect(fakes.openai.maxInFlight()).toBe(2);
  });
});

describe("options", () => {
  test("executions.create and deployments refuse options the provider's kind does not take, with a 400 naming them", async () => {
    const { id } = await prompt("Hi {{name}}");
    refused(
      await m("executions.create", { promptId: id, provider: "anthropic", options: { temperature: 1.5 } }, user),
      400,
      /^Options for a provider of kind anthropic are not valid: temperature: Enter 1 or less\.$/,
    );
    refused(
      await m("executions.create", { promptId: id, provider: "gemini", options: { max_tokens: 5 } }, user),
      400,
      /unknown option max_tokens \(allowed: temperature, topP/,
    );
    refused(await m("executions.create", { promptId: id, options: { temperature: 0 } }, user), 400, /the template provider takes no options/);
    const deployment = { name: `d-${Date.now()}`, promptId: id, provider: "openai", model: "fake-large" };
    refused(await m("deployments.create", { ...deployment, options: { stream: true } }), 400, /unknown option stream/);
    const created = ok(await m<{ id: string }>("deployments.create", { ...deployment, options: { temperature: 0.5, max_tokens: 40 } }));
    refused(await m("deployments.update", { id: created.id, options: { top_p: 2 } }), 400, /top_p: Enter 1 or less/);
    // Switching the provider re-checks the stored options against the new kind.
    refused(await m("deployments.update", { id: created.id, provider: "gemini" }), 400, /unknown options? max_tokens/);
  });

  test("options are stored on the execution (over the deployment's) and sent under the provider's names", async () => {
    const { id } = await prompt("Hi {{name}}");
    const deployment = ok(
      await m<{ id: string }>("deployments.create", {
        name: `opt-${Date.now()}`,
        promptId: id,
        provider: "anthropic",
        model: "fake-small",
        options: { temperature: 0.2, max_tokens: 64 },
      }),
    );
    const created = ok(
      await m<ExecutionRow>("executions.create", { deploymentId: deployment.id, input: {}, options: { temperature: 0.9, stop_sequences: ["END"] } }, user),
    );
    expect(created.options).toEqual({ temperature: 0.9, max_tokens: 64, stop_sequences: ["END"] });
    await worker().runOnce();
    expect(onlyGeneration(fakes.anthropic)?.body).toMatchObject({ model: "fake-small", temperature: 0.9, max_tokens: 64, stop_sequences: ["END"] });
  });

  test("an execution created before options were stored takes its deployment's; bad stored options fail it clearly", async () => {
    const { id } = await prompt("Hi {{name}}");
    const deployment = ok(
      await m<{ id: string; options: Record<string, unknown> }>("deployments.create", {
        name: `old-${Date.now()}`,
        promptId: id,
        provider: "gemini",
        model: "fake-large",
        options: { topK: 3 },
      }),
    );
    const created = ok(await m<ExecutionRow>("executions.create", { deploymentId: deployment.id, input: {} }, user));
    // As rows written before executions.options existed: empty, the deployment decides.
    await tenantContext.runWithTenant(tenant.id, () => executionModel.update(created.id, { options: {} }));
    await worker().runOnce();
    expect(onlyGeneration(fakes.gemini)?.body).toMatchObject({ generationConfig: { topK: 3 } });

    const bad = ok(await m<ExecutionRow>("executions.create", { promptId: id, provider: "gemini", input: {} }, user));
    await tenantContext.runWithTenant(tenant.id, () => executionModel.update(bad.id, { options: { max_tokens: 9 } }));
    await worker().runOnce();
    expect(ok(await q<ExecutionRow>("executions.get", { id: bad.id }, user)).error).toMatch(
      /^Options for a provider of kind gemini are not valid: unknown option max_tokens/,
    );
  });
});

describe("provider settings", () => {
  test("a deactivated provider refuses new executions (400) and the worker fails its queued ones", async () => {
    await saveProvider("switchable", { kind: "anthropic" });
    const { id } = await prompt("Hi {{name}}");
    const queued = ok(await m<ExecutionRow>("executions.create", { promptId: id, provider: "switchable", input: {} }, user));
    await saveProvider("switchable", { kind: "anthropic", active: false });
    refused(await m("executions.create", { promptId: id, provider: "switchable", input: {} }, user), 400, /Provider "switchable" is deactivated/);
    await worker().runOnce();
    expect(ok(await q<ExecutionRow>("executions.get", { id: queued.id }, user)).error).toBe(
      'Provider "switchable" is deactivated in this workspace\'s settings; an admin must activate it before its executions can run.',
    );
    expect(fakes.anthropic.generations()).toHaveLength(0);
    const listed = ok(await q<{ providers: { identifier: string; active: boolean; kind: string; maxConcurrency: number }[] }>("settings.list", undefined));
    expect(listed.providers.find((provider) => provider.identifier === "switchable")).toMatchObject({ active: false, kind: "anthropic", maxConcurrency: 4 });
    const actions = await tenantContext.runWithTenant(tenant.id, () => auditLogModel.findMany({ where: { action: "settings.provider_deactivated" } }));
    expect(actions).toHaveLength(1);
  });

  test("the API key is optional only for Ollama and OpenAI-compatible servers", async () => {
    refused(await m("settings.saveProvider", { identifier: "nokey", kind: "anthropic", baseUrl: fakes.anthropic.url, defaultModel: "m" }), 400, /needs one/);
    const saved = ok(
      await m<{ apiKeySet: boolean }>("settings.saveProvider", { identifier: "nokey", kind: "ollama", baseUrl: fakes.ollama.url, defaultModel: "fake-small" }),
    );
    expect(saved.apiKeySet).toBe(false);
  });

  test("model lists come from each provider's own list endpoint", async () => {
    for (const kind of KINDS) {
      expect(ok(await q<{ models: string[] }>("settings.providerModels", { identifier: kind })).models, kind).toEqual(["fake-large", "fake-small"]);
    }
    expect(fakes.anthropic.requests.map((request) => request.url)).toEqual(["/v1/models?limit=1000"]);
    expect(fakes.gemini.requests.map((request) => request.url)).toEqual(["/v1beta/models?pageSize=1000"]);
    expect(fakes.ollama.requests.map((request) => request.url)).toEqual(["/api/tags"]);
    refused(await q("settings.providerModels", { identifier: "nobody" }), 404, /No provider "nobody"/);
    refused(await q("settings.providerModels", { identifier: "anthropic" }, user), 403, /.+/);
  });

  test("members list the active providers (kind, default model, options; never a key or URL) and their models", async () => {
    await saveProvider("dormant", { kind: "gemini", active: false });
    const listed = ok(await q<Record<string, unknown>[]>("providers.list", {}, user));
    const identifiers = listed.map((provider) => provider.identifier);
    expect(identifiers).toEqual(expect.arrayContaining(KINDS));
    expect(identifiers).not.toContain("dormant");
    expect(identifiers).toEqual([...identifiers].sort());
    expect(listed.find((provider) => provider.identifier === "anthropic")).toEqual({
      identifier: "anthropic",
      kind: "anthropic",
      kindLabel: "Anthropic (Messages API)",
      defaultModel: "fake-large",
      optionNames: ["temperature", "top_p", "top_k", "max_tokens", "stop_sequences"],
    });
    expect(JSON.stringify(listed)).not.toMatch(new RegExp(`${KEY}|127\\.0\\.0\\.1|apiKey|baseUrl`));
    expect(ok(await q<{ models: string[] }>("providers.models", { identifier: "openai" }, user)).models).toEqual(["fake-large", "fake-small"]);
    refused(await q("providers.models", { identifier: "dormant" }, user), 404, /No active provider "dormant"/);
    refused(await q("providers.models", { identifier: "nobody" }, user), 404, /No active provider "nobody"/);
    const viewer = { tenant: "prov", cookie: await login("prov", "viewer@prov.test") };
    refused(await q("providers.list", {}, viewer), 403, /.+/);
  });

  test("test connection answers ok, or the provider's error in a sentence, and is audited", async () => {
    expect(ok(await m<{ ok: boolean; message: string }>("settings.testProvider", { identifier: "anthropic" }))).toMatchObject({
      ok: true,
      message: "Connected to anthropic (anthropic): 2 models available.",
    });
    await saveProvider("bad-gemini", { kind: "gemini", apiKey: "wrong" });
    expect(ok(await m<{ ok: boolean; message: string }>("settings.testProvider", { identifier: "bad-gemini" }))).toMatchObject({
      ok: false,
      message: 'Provider "bad-gemini" (gemini) answered HTTP 400: API key not valid. Please pass a valid API key. (INVALID_ARGUMENT)',
    });
    const audited = await tenantContext.runWithTenant(tenant.id, () => auditLogModel.findMany({ where: { action: "settings.provider_tested" } }));
    expect(audited.map((row) => row.details)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ identifier: "anthropic", ok: true }),
        expect.objectContaining({ identifier: "bad-gemini", ok: false }),
      ]),
    );
  });
});
