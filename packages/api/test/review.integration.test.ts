/**
 * Reviewing results, through the real HTTP handlers and real SQLite files: response schemas
 * checked on save (a 400 naming the keyword and path), results validated by the worker against a
 * provider injected into ExecutionWorker, comments (anchors checked against the output, authors
 * and admins), star and review status with the list's filters, cancel (and its race with a
 * claiming worker), and the CSV export (filters, headers, CSV injection, errors).
 */
import { parse } from "csv-parse/sync";
import { apiKeyModel, executionModel, executionReviewModel, tenantContext, type ExecutionRow, type PromptRow, type TenantRow, type UserRow } from "@sigil/db";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { generateApiKey } from "../src/auth/api-key-format.ts";
import { startApiServer } from "../src/http/node-server.ts";
import { ExecutionWorker, type ExecutionProvider } from "../src/index.ts";
import { EXECUTION_CSV_COLUMNS } from "../src/services/executions-csv.ts";
import { call, createTenantWithUsers, login, useTestEnv, type CallOptions, type CallResult, type TestEnv } from "./harness.ts";

let env: TestEnv;
let server: Awaited<ReturnType<typeof startApiServer>>;
let acme: { tenant: TenantRow; users: Record<"admin" | "user" | "viewer", UserRow> };
let globex: { tenant: TenantRow; users: Record<"admin" | "user" | "viewer", UserRow> };
const as: Record<"admin" | "user" | "viewer" | "other" | "globex", CallOptions> = {} as never;
let readKey: string;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const q = <T>(path: string, input: unknown, options: CallOptions) => call<T>("query", path, input, options);
const m = <T>(path: string, input: unknown, options: CallOptions) => call<T>("mutation", path, input, options);

function ok<T>(result: CallResult<T>): T {
  if (result.error) throw new Error(`expected success, got ${result.status} ${String(result.error.data.code)}: ${result.error.message}`);
  return result.data as T;
}

function refused(result: CallResult, code: string, status: number, message?: RegExp): void {
  expect(result.error, `expected ${code}, got ${JSON.stringify(result.data)?.slice(0, 200)}`).toBeDefined();
  expect(result.error?.data.code).toBe(code);
  expect(result.status).toBe(status);
  if (message) expect(result.error?.message).toMatch(message);
}

const inAcme = <T>(fn: () => Promise<T>) => tenantContext.runWithTenant(acme.tenant.id, fn);

async function newPrompt(options: CallOptions, overrides: Record<string, unknown> = {}): Promise<PromptRow> {
  return ok(await m<PromptRow>("prompts.create", { name: `p-${crypto.randomUUID()}`, template: "{{json}}", ...overrides }, options));
}

async function pendingExecution(prompt: PromptRow, input: Record<string, unknown>, provider = "template"): Promise<ExecutionRow> {
  return inAcme(() =>
    executionModel.createWithinMonthlyLimit(
      { promptId: prompt.id, promptVersion: prompt.currentVersion, input, provider, model: "", createdBy: acme.users.user.id },
      { executions: 100_000, tokens: null },
    ),
  );
}

async function reload(id: string): Promise<ExecutionRow> {
  const row = await inAcme(() => executionModel.findById(id));
  if (!row) throw new Error(`execution ${id} is gone`);
  return row;
}

/** Runs the worker until nothing is pending, with `providers` injected. */
async function drain(providers: Record<string, ExecutionProvider> = {}): Promise<void> {
  const worker = new ExecutionWorker({ providers, wakeOnSignal: false });
  while ((await worker.runOnce()).processed > 0) {
    // another pass: a tick stops at its budget
  }
}

async function completedExecution(output: string): Promise<ExecutionRow> {
  const prompt = await newPrompt(as.user);
  const execution = await pendingExecution(prompt, { json: output });
  await drain();
  return reload(execution.id);
}

beforeAll(async () => {
  env = await useTestEnv();
  acme = await createTenantWithUsers("acme");
  globex = await createTenantWithUsers("globex");
  for (const role of ["admin", "user", "viewer"] as const) as[role] = { tenant: "acme", cookie: await login("acme", `${role}@acme.test`) };
  as.globex = { tenant: "globex", cookie: await login("globex", "user@globex.test") };
  const other = await inAcme(async () => {
    const { userModel } = await import("@sigil/db");
    return userModel.create({ email: "other@acme.test", name: "Other", role: "user", status: "active", passwordHash: acme.users.user.passwordHash });
  });
  as.other = { tenant: "acme", cookie: await login("acme", other.email) };
  const made = generateApiKey("tenant");
  await inAcme(() =>
    apiKeyModel.create({ userId: acme.users.user.id, name: "export", keyId: made.keyId, secretHash: made.secretHash, scopes: ["executions:read"] }),
  );
  readKey = made.plain;
  server = await startApiServer();
});
afterAll(async () => {
  await server.close();
  env.cleanup();
});

describe("response schemas are checked on save", () => {
  test("a schema that does not compile is a 400 naming the keyword and its path; nothing is written", async () => {
    const before = await inAcme(() => import("@sigil/db").then(({ promptModel }) => promptModel.count()));
    const bad = await m(
      "prompts.create",
      { name: "bad schema", template: "x", responseSchema: { type: "object", properties: { n: { type: "integr" } } } },
      as.user,
    );
    refused(bad, "BAD_REQUEST", 400, /The response schema is not valid: "type" at \/properties\/n\/type: must be one of: .*integer/);
    const typo = await m("prompts.create", { name: "typo", template: "x", responseSchema: { type: "object", requird: ["a"] } }, as.user);
    refused(typo, "BAD_REQUEST", 400, /"requird" at \/requird: unknown keyword/);
    expect(await inAcme(() => import("@sigil/db").then(({ promptModel }) => promptModel.count()))).toBe(before);

    const prompt = await newPrompt(as.user, { responseSchema: { type: "object" } });
    const update = await m(
      "prompts.update",
      { id: prompt.id, responseSchema: { type: "object", properties: { e: { type: "string", format: "emial" } } } },
      as.user,
    );
    refused(update, "BAD_REQUEST", 400, /"format" at \/properties\/e\/format: unknown format "emial"/);
    const fixed = ok(
      await m<PromptRow>(
        "prompts.update",
        { id: prompt.id, responseSchema: { type: "object", properties: { e: { type: "string", format: "email" } } } },
        as.user,
      ),
    );
    expect(fixed.currentVersion).toBe(2);
  });
});

describe("the worker validates results against the version's schema", () => {
  test("valid, invalid with the issues, not JSON, fenced JSON, and no schema", async () => {
    const schema = { type: "object", properties: { answer: { type: "string" }, score: { type: "number", maximum: 1 } }, required: ["answer"] };
    const outputs = new Map<string, string>();
    const calls: string[] = [];
    const scripted: ExecutionProvider = {
      name: "scripted",
      kind: "test",
      run: async (request) => {
        const key = String(request.input.case);
        calls.push(key);
        return { output: outputs.get(key) ?? "", usage: null };
      },
    };
    outputs.set("valid", '{"answer":"yes","score":0.5}');
    outputs.set("invalid", '{"score":3}');
    outputs.set("prose", "I think the answer is yes.");
    outputs.set("fenced", '```json\n{"answer":"fenced"}\n```');
    const withSchema = await newPrompt(as.user, { responseSchema: schema });
    const without = await newPrompt(as.user);
    const ids = {
      valid: (await pendingExecution(withSchema, { case: "valid" }, "scripted")).id,
      invalid: (await pendingExecution(withSchema, { case: "invalid" }, "scripted")).id,
      prose: (await pendingExecution(withSchema, { case: "prose" }, "scripted")).id,
      fenced: (await pendingExecution(withSchema, { case: "fenced" }, "scripted")).id,
      none: (await pendingExecution(without, { case: "prose" }, "scripted")).id,
    };
    await drain({ scripted });
    expect(calls.sort()).toEqual(["fenced", "invalid", "none", "prose", "valid"].map((key) => (key === "none" ? "prose" : key)).sort());

    const get = (id: string) => q<ExecutionRow>("executions.get", { id }, as.viewer).then(ok);
    expect(await get(ids.valid)).toMatchObject({ status: "completed", valid: true, validationErrors: null });
    expect(await get(ids.fenced)).toMatchObject({ status: "completed", valid: true });
    const invalid = await get(ids.invalid);
    expect(invalid).toMatchObject({ status: "completed", valid: false, result: '{"score":3}' });
    expect(invalid.validationErrors).toEqual(
      expect.arrayContaining([
        { path: "(root)", message: 'is missing the required property "answer"' },
        { path: "score", message: "must be <= 1" },
      ]),
    );
    const prose = await get(ids.prose);
    expect(prose.valid).toBe(false);
    expect(prose.validationErrors?.[0]?.message).toMatch(/^The output is not JSON: /);
    expect(await get(ids.none)).toMatchObject({ status: "completed", valid: null, validationErrors: null });

    // The list carries the verdict for grids.
    const page = ok(await q<{ data: ExecutionRow[] }>("executions.list", { promptId: withSchema.id }, as.viewer));
    expect(page.data.map((row) => row.valid).sort()).toEqual([false, false, true, true]);
  });
});

describe("comments", () => {
  test("create (plain and anchored), list, edit and delete own; admins moderate; viewers read only", async () => {
    const execution = await completedExecution("The quick brown fox");
    const plain = ok(await m<{ id: string }>("comments.create", { executionId: execution.id, body: "Looks right" }, as.user));
    const anchored = ok(
      await m<{ id: string; anchorStart: number; anchorEnd: number; anchorText: string }>(
        "comments.create",
        { executionId: execution.id, body: "Which fox?", anchor: { start: 16, end: 19, text: "fox" } },
        as.other,
      ),
    );
    expect(anchored).toMatchObject({ anchorStart: 16, anchorEnd: 19, anchorText: "fox" });
    const listed = ok(await q<{ id: string; body: string; createdBy: string }[]>("comments.list", { executionId: execution.id }, as.viewer));
    expect(listed.map((comment) => comment.body)).toEqual(["Looks right", "Which fox?"]);
    expect(listed[0]?.createdBy).toBe(acme.users.user.id);

    refused(await m("comments.create", { executionId: execution.id, body: "hi" }, as.viewer), "FORBIDDEN", 403);
    refused(await m("comments.update", { id: plain.id, body: "mine now" }, as.other), "FORBIDDEN", 403, /Only its author or an admin/);
    refused(await m("comments.delete", { id: plain.id }, as.other), "FORBIDDEN", 403);
    expect(ok(await m<{ body: string }>("comments.update", { id: plain.id, body: "Looks right, checked" }, as.user)).body).toBe("Looks right, checked");
    ok(await m("comments.delete", { id: anchored.id }, as.admin));
    refused(await m("comments.delete", { id: anchored.id }, as.admin), "NOT_FOUND", 404);
    expect(ok(await q<unknown[]>("comments.list", { executionId: execution.id }, as.user))).toHaveLength(1);
  });

  test("an anchor must quote the output at its place; empty bodies and unknown executions are refused", async () => {
    const execution = await completedExecution("abcdef");
    refused(
      await m("comments.create", { executionId: execution.id, body: "x", anchor: { start: 1, end: 3, text: "cd" } }, as.user),
      "BAD_REQUEST",
      400,
      /does not match/,
    );
    refused(
      await m("comments.create", { executionId: execution.id, body: "x", anchor: { start: 4, end: 9, text: "ef" } }, as.user),
      "BAD_REQUEST",
      400,
      /past the end/,
    );
    refused(await m("comments.create", { executionId: execution.id, body: "x", anchor: { start: 3, end: 3, text: "" } }, as.user), "BAD_REQUEST", 400);
    refused(await m("comments.create", { executionId: execution.id, body: "   " }, as.user), "BAD_REQUEST", 400, /cannot be empty/);
    const prompt = await newPrompt(as.user);
    const pending = await pendingExecution(prompt, {});
    refused(
      await m("comments.create", { executionId: pending.id, body: "x", anchor: { start: 0, end: 1, text: "a" } }, as.user),
      "BAD_REQUEST",
      400,
      /no output yet/,
    );
    refused(await m("comments.create", { executionId: crypto.randomUUID(), body: "x" }, as.user), "NOT_FOUND", 404);
    // Another workspace's execution does not exist here.
    refused(await q("comments.list", { executionId: execution.id }, as.globex), "NOT_FOUND", 404);
    await inAcme(() => executionReviewModel.cancelPending(pending.id));
  });
});

describe("comments on a prompt", () => {
  test("create with the current version, list oldest first, edit and delete own; admins moderate; viewers read; deleted with the prompt", async () => {
    const prompt = await newPrompt(as.user);
    const first = ok(await m<{ id: string; promptVersion: number }>("comments.createForPrompt", { promptId: prompt.id, body: "Too formal" }, as.user));
    expect(first.promptVersion).toBe(1);
    ok(await m("prompts.update", { id: prompt.id, template: "{{json}}!" }, as.user));
    const second = ok(await m<{ id: string; promptVersion: number }>("comments.createForPrompt", { promptId: prompt.id, body: "Better in v2" }, as.other));
    expect(second.promptVersion).toBe(2);
    const listed = ok(await q<{ body: string; promptVersion: number; createdBy: string }[]>("comments.listForPrompt", { promptId: prompt.id }, as.viewer));
    expect(listed.map((comment) => [comment.body, comment.promptVersion, comment.createdBy])).toEqual([
      ["Too formal", 1, acme.users.user.id],
      ["Better in v2", 2, listed[1]?.createdBy],
    ]);

    refused(await m("comments.createForPrompt", { promptId: prompt.id, body: "hi" }, as.viewer), "FORBIDDEN", 403);
    refused(await m("comments.update", { id: first.id, body: "mine now" }, as.other), "FORBIDDEN", 403, /Only its author or an admin/);
    expect(ok(await m<{ body: string }>("comments.update", { id: first.id, body: "Too formal, fixed in v2" }, as.user)).body).toBe("Too formal, fixed in v2");
    ok(await m("comments.delete", { id: second.id }, as.admin));
    refused(await m("comments.delete", { id: second.id }, as.admin), "NOT_FOUND", 404);
    const audit = await inAcme(() => import("@sigil/db").then(({ auditLogModel }) => auditLogModel.findMany({ where: { targetId: prompt.id } })));
    expect(audit.map((row) => row.action).filter((action) => action.startsWith("comment."))).toEqual(
      expect.arrayContaining(["comment.created", "comment.updated", "comment.deleted"]),
    );

    refused(await q("comments.listForPrompt", { promptId: prompt.id }, as.globex), "NOT_FOUND", 404);
    refused(await m("comments.createForPrompt", { promptId: crypto.randomUUID(), body: "x" }, as.user), "NOT_FOUND", 404);
    refused(await m("comments.createForPrompt", { promptId: prompt.id, body: "  " }, as.user), "BAD_REQUEST", 400, /cannot be empty/);
    ok(await m("prompts.delete", { id: prompt.id }, as.user));
    expect(await inAcme(() => import("@sigil/db").then(({ promptCommentModel }) => promptCommentModel.count({ promptId: prompt.id })))).toBe(0);
  });
});

describe("star, review status and the list's filters", () => {
  test("setReview changes star and status (audited); the list filters by them and by date", async () => {
    const prompt = await newPrompt(as.user);
    const a = await pendingExecution(prompt, { json: "a" });
    const b = await pendingExecution(prompt, { json: "b" });
    await drain();
    ok(await m("executions.setReview", { id: a.id, starred: true }, as.user));
    ok(await m("executions.setReview", { id: b.id, reviewStatus: "needs_work" }, as.user));
    refused(await m("executions.setReview", { id: a.id, starred: false }, as.viewer), "FORBIDDEN", 403);
    refused(await m("executions.setReview", { id: a.id }, as.user), "BAD_REQUEST", 400, /Give starred, reviewStatus or both/);
    refused(await m("executions.setReview", { id: crypto.randomUUID(), starred: true }, as.user), "NOT_FOUND", 404);

    const list = async (filters: Record<string, unknown>) =>
      ok(await q<{ data: ExecutionRow[] }>("executions.list", { promptId: prompt.id, ...filters }, as.viewer)).data.map((row) => row.id);
    expect(await list({ starred: "true" })).toEqual([a.id]);
    expect(await list({ starred: "false" })).toEqual([b.id]);
    expect(await list({ reviewStatus: "needs_work" })).toEqual([b.id]);
    expect(await list({ reviewStatus: "reviewed" })).toEqual([]);
    const today = new Date().toISOString().slice(0, 10);
    expect((await list({ from: today, to: today })).sort()).toEqual([a.id, b.id].sort());
    expect(await list({ to: "2000-01-01" })).toEqual([]);
    refused(await q("executions.list", { from: "2030-01-02", to: "2030-01-01" }, as.viewer), "BAD_REQUEST", 400, /date range is empty/);
    refused(await q("executions.list", { from: "yesterday" }, as.viewer), "BAD_REQUEST", 400);

    const actions = await inAcme(async () => {
      const { auditLogModel } = await import("@sigil/db");
      return (await auditLogModel.findMany()).filter((row) => row.targetId === a.id || row.targetId === b.id).map((row) => row.action);
    });
    expect(actions).toEqual(["execution.reviewed", "execution.reviewed"]);
  });
});

describe("cancel", () => {
  test("a pending execution is cancelled and never runs; a finished one is a 409 naming its status", async () => {
    const prompt = await newPrompt(as.user);
    const pending = await pendingExecution(prompt, { json: "x" }, "counted");
    let runs = 0;
    const counted: ExecutionProvider = { name: "counted", kind: "test", run: async () => ({ output: String(++runs), usage: null }) };
    const cancelled = ok(await m<ExecutionRow>("executions.cancel", { id: pending.id }, as.user));
    expect(cancelled).toMatchObject({ status: "cancelled" });
    await drain({ counted });
    expect(runs).toBe(0);
    expect((await reload(pending.id)).status).toBe("cancelled");
    refused(await m("executions.cancel", { id: pending.id }, as.user), "CONFLICT", 409, /is cancelled, not pending/);
    const done = await completedExecution("y");
    refused(await m("executions.cancel", { id: done.id }, as.user), "CONFLICT", 409, /is completed, not pending: .*already ended/);
    refused(await m("executions.cancel", { id: crypto.randomUUID() }, as.user), "NOT_FOUND", 404);
    refused(await m("executions.cancel", { id: done.id }, as.viewer), "FORBIDDEN", 403);
  });

  test("racing a claiming worker: exactly one wins each time, the loser's cancel is a 409, a cancelled execution never runs", async () => {
    const prompt = await newPrompt(as.user);
    let runs = 0;
    const ran = new Set<string>();
    let started: (() => void) | null = null;
    const racer: ExecutionProvider = {
      name: "racer",
      kind: "test",
      run: async (request) => {
        runs += 1;
        ran.add(String(request.input.n));
        started?.();
        // Running for a moment, so that some cancels arrive while the execution runs.
        await sleep(4);
        return { output: "ok", usage: null };
      },
    };
    const worker = new ExecutionWorker({ providers: { racer }, wakeOnSignal: false, concurrency: 1 });

    // Both orders, made to happen: a cancel before the claim wins and the execution never runs…
    const early = await pendingExecution(prompt, { n: "early" }, "racer");
    expect((await m<ExecutionRow>("executions.cancel", { id: early.id }, as.user)).error).toBeUndefined();
    await worker.runOnce();
    expect((await reload(early.id)).status).toBe("cancelled");
    expect(ran.has("early")).toBe(false);
    // …a cancel after the claim is a 409 and the execution completes.
    const late = await pendingExecution(prompt, { n: "late" }, "racer");
    const claimed = new Promise<void>((resolve) => (started = resolve));
    const running = worker.runOnce();
    await claimed;
    const refused = await m<ExecutionRow>("executions.cancel", { id: late.id }, as.user);
    expect(refused.error?.data.code).toBe("CONFLICT");
    expect(refused.error?.message).toMatch(/is running, not pending/);
    await running;
    started = null;
    expect((await reload(late.id)).status).toBe("completed");

    // Then real races, at varied moments: whichever commits first wins, never both.
    let conflicts = 0;
    for (let n = 0; n < 30; n += 1) {
      const execution = await pendingExecution(prompt, { n }, "racer");
      const cancelling = sleep(n % 3).then(() => m<ExecutionRow>("executions.cancel", { id: execution.id }, as.user));
      const [cancel] = await Promise.all([cancelling, worker.runOnce()]);
      const row = await reload(execution.id);
      if (cancel.error) {
        expect(cancel.error.data.code).toBe("CONFLICT");
        expect(cancel.error.message).toMatch(/is (running|completed), not pending/);
        expect(row.status).toBe("completed");
        expect(ran.has(String(n))).toBe(true);
        conflicts += 1;
      } else {
        expect(row.status).toBe("cancelled");
        expect(ran.has(String(n))).toBe(false);
      }
    }
    // The provider ran exactly for the executions whose cancel lost ("late" and the races' conflicts).
    expect(runs).toBe(conflicts + 1);
  });
});

describe("CSV export", () => {
  async function exportCsv(query: string, headers: Record<string, string>, prefix = ""): Promise<{ status: number; headers: Headers; text: string }> {
    const response = await fetch(`${server.url}${prefix}/api/v1/executions/export.csv${query}`, { headers });
    return { status: response.status, headers: response.headers, text: await response.text() };
  }
  const bearer = () => ({ "x-tenant-id": "acme", authorization: `Bearer ${readKey}` });

  test("every column, newest first, the list's filters, attachment headers, and formula-looking cells defused", async () => {
    const prompt = await newPrompt(as.user, { name: '=HYPERLINK("http://evil")' });
    const first = await pendingExecution(prompt, { json: "-2+3", note: 'quote "and", comma' });
    await drain();
    const second = await pendingExecution(prompt, { json: "@SUM(A1:A9)\nsecond line" });
    await drain();
    ok(await m("executions.setReview", { id: second.id, starred: true, reviewStatus: "reviewed" }, as.user));

    const all = await exportCsv(`?promptId=${prompt.id}`, bearer());
    expect(all.status).toBe(200);
    expect(all.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(all.headers.get("content-disposition")).toMatch(/^attachment; filename="executions-\d{4}-\d{2}-\d{2}\.csv"$/);
    expect(all.headers.get("cache-control")).toBe("no-store");
    const rows = parse<Record<string, string>>(all.text, { columns: true });
    expect(Object.keys(rows[0] ?? {})).toEqual([...EXECUTION_CSV_COLUMNS]);
    expect(rows.map((row) => row.id)).toEqual([second.id, first.id]);
    expect(rows[0]).toMatchObject({
      prompt: '\'=HYPERLINK("http://evil")',
      result: "'@SUM(A1:A9)\nsecond line",
      starred: "yes",
      "review status": "reviewed",
      status: "completed",
      version: "1",
    });
    expect(rows[1]).toMatchObject({ result: "'-2+3", starred: "no", "review status": "new", provider: "template" });
    expect(JSON.parse(rows[1]?.input ?? "")).toEqual({ json: "-2+3", note: 'quote "and", comma' });

    const filtered = await exportCsv(`?promptId=${prompt.id}&starred=true&reviewStatus=reviewed&status=completed`, bearer());
    const starred = parse<Record<string, string>>(filtered.text, { columns: true });
    expect(starred.map((row) => row.id)).toEqual([second.id]);
    const none = await exportCsv(`?promptId=${prompt.id}&to=2000-01-01`, bearer());
    expect(none.text).toBe(`${EXECUTION_CSV_COLUMNS.join(",")}\r\n`);
    // A session cookie works too (the web app's button), under the path prefix as well.
    const viaCookie = await exportCsv(`?promptId=${prompt.id}`, { cookie: as.viewer.cookie ?? "", host: "localhost" }, "/tenant/acme");
    expect(viaCookie.status).toBe(200);
    expect(parse(viaCookie.text, { columns: true })).toHaveLength(2);
  });

  test("pages through more rows than one page holds, none twice", async () => {
    const prompt = await newPrompt(as.user);
    await inAcme(async () => {
      for (let n = 0; n < 2_150; n += 1) {
        await executionModel.createWithinMonthlyLimit(
          { promptId: prompt.id, promptVersion: 1, input: { n }, provider: "template", model: "" },
          { executions: 1_000_000, tokens: null },
        );
      }
    });
    const result = await exportCsv(`?promptId=${prompt.id}&status=pending`, bearer());
    const rows = parse<Record<string, string>>(result.text, { columns: true });
    expect(rows).toHaveLength(2_150);
    expect(new Set(rows.map((row) => row.id)).size).toBe(2_150);
    const ns = rows.map((row) => (JSON.parse(row.input ?? "{}") as { n: number }).n);
    // Every execution once (rows created in the same millisecond are ordered by id, not by n).
    expect(ns.sort((a, b) => a - b)).toEqual(Array.from({ length: 2_150 }, (_, index) => index));
    await inAcme(async () => {
      for (const row of rows) await executionReviewModel.cancelPending(row.id ?? "");
    });
  });

  test("errors: no credential 401, a key without the scope 403, a bad filter 400, POST 405, another workspace's prompt exports nothing", async () => {
    expect((await exportCsv("", { "x-tenant-id": "acme" })).status).toBe(401);
    const noScope = generateApiKey("tenant");
    await inAcme(() =>
      apiKeyModel.create({ userId: acme.users.user.id, name: "no scope", keyId: noScope.keyId, secretHash: noScope.secretHash, scopes: ["prompts:read"] }),
    );
    const forbidden = await exportCsv("", { "x-tenant-id": "acme", authorization: `Bearer ${noScope.plain}` });
    expect(forbidden.status).toBe(403);
    expect(JSON.parse(forbidden.text)).toMatchObject({ code: "FORBIDDEN", message: 'This API key lacks the "executions:read" scope.' });
    const bad = await exportCsv("?status=done&page=2", bearer());
    expect(bad.status).toBe(400);
    expect((JSON.parse(bad.text) as { message: string }).message).toMatch(/status/);
    const post = await fetch(`${server.url}/api/v1/executions/export.csv`, { method: "POST", headers: bearer() });
    expect(post.status).toBe(405);
    const acmePrompt = await newPrompt(as.user);
    await pendingExecution(acmePrompt, {});
    const globexKey = generateApiKey("tenant");
    await tenantContext.runWithTenant(globex.tenant.id, () =>
      apiKeyModel.create({ userId: globex.users.user.id, name: "g", keyId: globexKey.keyId, secretHash: globexKey.secretHash, scopes: ["executions:read"] }),
    );
    const cross = await exportCsv(`?promptId=${acmePrompt.id}`, { "x-tenant-id": "globex", authorization: `Bearer ${globexKey.plain}` });
    expect(cross.status).toBe(200);
    expect(cross.text).toBe(`${EXECUTION_CSV_COLUMNS.join(",")}\r\n`);
    // acme's key on globex is refused.
    expect((await exportCsv("", { "x-tenant-id": "globex", authorization: `Bearer ${readKey}` })).status).toBe(403);
  });
});
