/**
 * Tokens, cost and budgets through the real fetch handler: the worker prices a finished
 * execution from its provider's kind, model and usage (an administrator's override changes the
 * cost of executions finishing afterwards only), `usage.summary` aggregates one tenant's
 * executions by day, provider, model and prompt, and the token budget refuses new executions
 * once the month's tokens reached it, with the numbers, atomically.
 */
import { executions, tenantContext, tenantModel, executionModel, type TenantRow } from "@sigil/db";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { ExecutionWorker, type ExecutionProvider, type TokenUsage } from "../src/index.ts";
import { signInSystemAdmin, ok, type AdminSession } from "./admin-session.ts";
import { call, createTenantWithUsers, login, useTestEnv, type CallOptions, type TestEnv } from "./harness.ts";

let env: TestEnv;
let admin: AdminSession;
beforeAll(async () => {
  env = await useTestEnv();
  admin = await signInSystemAdmin();
});
afterAll(() => env.cleanup());

interface ExecutionView {
  id: string;
  status: string;
  model: string;
  inputTokens: number | null;
  outputTokens: number | null;
  costUsd: number | null;
}

/** A provider of `kind` that answers with `usage` (none when null). */
function fakeProvider(kind: string, usage: TokenUsage | null): ExecutionProvider {
  return { name: "template", kind, run: async () => ({ output: "done", usage }) };
}

async function workspace(slug: string): Promise<{ tenant: TenantRow; as: CallOptions; promptId: string }> {
  const { tenant } = await createTenantWithUsers(slug);
  const as = { tenant: slug, cookie: await login(slug, `user@${slug}.test`) };
  const prompt = ok(await call<{ id: string }>("mutation", "prompts.create", { name: `${slug} prompt`, template: "Hi {{name}}" }, as));
  return { tenant, as, promptId: prompt.id };
}

/** Creates an execution through executions.create (the template provider name, any model) and runs it with `provider`. */
async function runOne(as: CallOptions, promptId: string, model: string, provider: ExecutionProvider): Promise<ExecutionView> {
  const created = ok(await call<ExecutionView>("mutation", "executions.create", { promptId, input: { name: "x" }, provider: "template", model }, as));
  const tick = await new ExecutionWorker({ providers: { template: provider }, wakeOnSignal: false }).runOnce();
  expect(tick.errors).toEqual([]);
  return ok(await call<ExecutionView>("query", "executions.get", { id: created.id }, as));
}

describe("cost per execution", () => {
  test("stored when the execution finishes: tokens from the usage, cost from the kind's price of the model (dated snapshot → alias)", async () => {
    const { as, promptId } = await workspace("cost-basic");
    const priced = await runOne(as, promptId, "claude-sonnet-4-5-20250929", fakeProvider("anthropic", { inputTokens: 1200, outputTokens: 350 }));
    // $3 / $15 per million: 1200 × 3 + 350 × 15 = 8850 micro-dollars.
    expect(priced).toMatchObject({ status: "completed", inputTokens: 1200, outputTokens: 350, costUsd: 0.00885 });

    // The Responses API takes the openai prices.
    const responses = await runOne(as, promptId, "gpt-4o-mini-2024-07-18", fakeProvider("openai-responses", { inputTokens: 1_000_000, outputTokens: 0 }));
    expect(responses.costUsd).toBe(0.15);

    // No price: tokens are kept, the cost stays empty (a self-hosted model, an unknown model, the template kind).
    for (const [kind, model] of [
      ["ollama", "llama3.1:8b"],
      ["anthropic", "claude-unknown-9"],
      ["template", "mustache"],
    ] as const) {
      const unpriced = await runOne(as, promptId, model, fakeProvider(kind, { inputTokens: 10, outputTokens: 5 }));
      expect(unpriced, `${kind} ${model}`).toMatchObject({ status: "completed", inputTokens: 10, outputTokens: 5, costUsd: null });
    }

    // No usage reported: neither tokens nor cost.
    const silent = await runOne(as, promptId, "claude-sonnet-4-5", fakeProvider("anthropic", null));
    expect(silent).toMatchObject({ status: "completed", inputTokens: null, outputTokens: null, costUsd: null });

    // Nonsense usage counts as none (it must not poison the month's token counter).
    const broken = await runOne(as, promptId, "claude-sonnet-4-5", fakeProvider("anthropic", { inputTokens: -5, outputTokens: 1.5 }));
    expect(broken).toMatchObject({ inputTokens: null, outputTokens: null, costUsd: null });
  });

  test("an administrator's override prices executions that finish afterwards; earlier costs stay; reset brings the default back", async () => {
    const { as, promptId } = await workspace("cost-override");
    const usage = { inputTokens: 1200, outputTokens: 350 };
    const before = await runOne(as, promptId, "claude-sonnet-4-5", fakeProvider("anthropic", usage));
    expect(before.costUsd).toBe(0.00885);

    const set = await admin.call<{ source: string; inputUsdPerMillion: number; defaultPrice: unknown }>("mutation", "admin.setPrice", {
      providerKind: "anthropic",
      model: "claude-sonnet-4-5",
      inputUsdPerMillion: 1,
      outputUsdPerMillion: 2,
    });
    expect(ok(set)).toMatchObject({ source: "override", inputUsdPerMillion: 1, defaultPrice: { inputUsdPerMillion: 3, outputUsdPerMillion: 15 } });

    const after = await runOne(as, promptId, "claude-sonnet-4-5-20250929", fakeProvider("anthropic", usage));
    expect(after.costUsd).toBe(0.0019);
    // The earlier execution keeps the cost it was given when it finished.
    expect(ok(await call<ExecutionView>("query", "executions.get", { id: before.id }, as)).costUsd).toBe(0.00885);

    // A model without a default gets a price only from the administrator.
    const local = await runOne(as, promptId, "llama3.1:8b", fakeProvider("ollama", usage));
    expect(local.costUsd).toBeNull();
    ok(await admin.call("mutation", "admin.setPrice", { providerKind: "ollama", model: "llama3.1:8b", inputUsdPerMillion: 0.5, outputUsdPerMillion: 0.5 }));
    expect((await runOne(as, promptId, "llama3.1:8b", fakeProvider("ollama", usage))).costUsd).toBe(0.000775);

    const table = ok(
      await admin.call<{ prices: { providerKind: string; model: string; source: string; updatedBy: string | null }[]; defaultsTakenOn: string }>(
        "query",
        "admin.prices",
      ),
    );
    expect(table.defaultsTakenOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const row = (kind: string, model: string) => table.prices.find((p) => p.providerKind === kind && p.model === model);
    expect(row("anthropic", "claude-sonnet-4-5")).toMatchObject({ source: "override", updatedBy: admin.admin.email });
    expect(row("ollama", "llama3.1:8b")).toMatchObject({ source: "custom" });
    expect(row("openai", "gpt-4o")).toMatchObject({ source: "default", updatedBy: null });

    ok(await admin.call("mutation", "admin.resetPrice", { providerKind: "anthropic", model: "claude-sonnet-4-5" }));
    expect((await runOne(as, promptId, "claude-sonnet-4-5", fakeProvider("anthropic", usage))).costUsd).toBe(0.00885);
    const again = await admin.call("mutation", "admin.resetPrice", { providerKind: "anthropic", model: "claude-sonnet-4-5" });
    expect(again.status).toBe(404);
    expect(again.error?.message).toMatch(/No administrator's price is set for anthropic model "claude-sonnet-4-5"/);

    // Every change is in the admin audit log, with the price before.
    const audit = ok(await admin.call<{ data: { action: string; details: Record<string, unknown> }[] }>("query", "admin.audit", { action: "admin.price_set" }));
    expect(audit.data.map((entry) => entry.details.model)).toEqual(["llama3.1:8b", "claude-sonnet-4-5"]);
    expect(audit.data[1]?.details).toMatchObject({ providerKind: "anthropic", inputUsdPerMillion: 1, outputUsdPerMillion: 2, before: null });
    const resets = ok(await admin.call<{ data: { details: Record<string, unknown> }[] }>("query", "admin.audit", { action: "admin.price_reset" }));
    expect(resets.data).toHaveLength(1);
  });

  test("prices are for system administrators only, and bad prices are refused with a sentence", async () => {
    const { as } = await workspace("cost-guard");
    const fromTenant = await call("mutation", "admin.setPrice", { providerKind: "openai", model: "gpt-4o", inputUsdPerMillion: 0, outputUsdPerMillion: 0 }, as);
    expect(fromTenant.error).toBeDefined();
    expect([401, 403, 404]).toContain(fromTenant.status);
    const anonymous = await call("query", "admin.prices", undefined, { host: "admin.localhost" });
    expect(anonymous.status).toBe(401);

    const negative = await admin.call("mutation", "admin.setPrice", {
      providerKind: "openai",
      model: "gpt-4o",
      inputUsdPerMillion: -1,
      outputUsdPerMillion: 2,
    });
    expect(negative.status).toBe(400);
    expect(negative.error?.message).toMatch(/input price cannot be negative/);
    const template = await admin.call("mutation", "admin.setPrice", {
      providerKind: "template",
      model: "mustache",
      inputUsdPerMillion: 1,
      outputUsdPerMillion: 1,
    });
    expect(template.status).toBe(400);
    expect(template.error?.message).toMatch(/Choose one of the provider kinds/);
    const spaced = await admin.call("mutation", "admin.setPrice", { providerKind: "openai", model: "gpt 4o", inputUsdPerMillion: 1, outputUsdPerMillion: 1 });
    expect(spaced.error?.message).toMatch(/no spaces/);
  });
});

interface Figures {
  executions: number;
  failed: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  unpriced: number;
}
interface Summary {
  range: { from: string; to: string };
  totals: Figures;
  byDay: (Figures & { day: string })[];
  byProvider: (Figures & { provider: string })[];
  byModel: (Figures & { provider: string; model: string })[];
  byPrompt: (Figures & { promptId: string; name: string | null })[];
  tokenBudget: { used: number; limit: number | null; remaining: number | null };
}

const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);

/** Moves an execution's creation `days` back (the dashboard groups by created_at). */
async function backdate(tenant: TenantRow, id: string, days: number): Promise<void> {
  await tenantContext.runWithTenant(tenant.id, async () =>
    tenantContext.withTenantStore("test.backdate", (store) =>
      store.session("write", ({ db }) =>
        db
          .update(executions)
          .set({ createdAt: new Date(Date.now() - days * 86_400_000) })
          .where(eq(executions.id, id)),
      ),
    ),
  );
}

describe("usage.summary", () => {
  test("groups one tenant's executions by day, provider, model and prompt over the range, and never shows another tenant's", async () => {
    const a = await workspace("usage-a");
    const b = await workspace("usage-b");
    const second = ok(await call<{ id: string }>("mutation", "prompts.create", { name: "second", template: "Bye" }, a.as));
    const claude = fakeProvider("anthropic", { inputTokens: 1000, outputTokens: 100 });
    const gpt = fakeProvider("openai", { inputTokens: 2000, outputTokens: 200 });
    const today1 = await runOne(a.as, a.promptId, "claude-sonnet-4-5", claude);
    await runOne(a.as, second.id, "gpt-4o", gpt);
    const old = await runOne(a.as, a.promptId, "claude-sonnet-4-5", claude);
    const older = await runOne(a.as, a.promptId, "gpt-4o", gpt);
    const failing: ExecutionProvider = {
      name: "template",
      kind: "openai",
      run: async () => {
        throw new Error("boom");
      },
    };
    const failed = await runOne(a.as, second.id, "gpt-4o", failing);
    expect(failed.status).toBe("failed");
    await backdate(a.tenant, old.id, 3);
    await backdate(a.tenant, older.id, 40);
    // The other tenant's executions: a different size, so a leak would show in every number.
    for (let i = 0; i < 3; i += 1) await runOne(b.as, b.promptId, "claude-haiku-4-5", fakeProvider("anthropic", { inputTokens: 7, outputTokens: 7 }));

    const week = ok(await call<Summary>("query", "usage.summary", { from: day(-6), to: day(0) }, a.as));
    expect(week.range).toEqual({ from: day(-6), to: day(0) });
    // 1000×3 + 100×15 = 4500 µ$; 2000×2.5 + 200×10 = 7000 µ$.
    expect(week.totals).toEqual({ executions: 4, failed: 1, inputTokens: 4000, outputTokens: 400, costUsd: 0.016, unpriced: 0 });
    expect(week.byDay.map((row) => row.day)).toEqual([-6, -5, -4, -3, -2, -1, 0].map(day));
    expect(week.byDay.find((row) => row.day === day(-3))).toMatchObject({ executions: 1, inputTokens: 1000, costUsd: 0.0045 });
    expect(week.byDay.find((row) => row.day === day(0))).toMatchObject({ executions: 3, failed: 1, inputTokens: 3000, costUsd: 0.0115 });
    expect(week.byDay.find((row) => row.day === day(-1))).toMatchObject({ executions: 0, costUsd: 0 });
    expect(week.byProvider).toEqual([{ provider: "template", executions: 4, failed: 1, inputTokens: 4000, outputTokens: 400, costUsd: 0.016, unpriced: 0 }]);
    expect(week.byModel).toEqual([
      { provider: "template", model: "claude-sonnet-4-5", executions: 2, failed: 0, inputTokens: 2000, outputTokens: 200, costUsd: 0.009, unpriced: 0 },
      { provider: "template", model: "gpt-4o", executions: 2, failed: 1, inputTokens: 2000, outputTokens: 200, costUsd: 0.007, unpriced: 0 },
    ]);
    const byPrompt: Record<string, number> = Object.fromEntries(week.byPrompt.map((row) => [row.name ?? "", row.executions] as const));
    expect(byPrompt).toEqual({ "usage-a prompt": 2, second: 2 });
    expect(today1.costUsd).toBe(0.0045);

    // A range that reaches back 40 days includes the older one; one that ends before today excludes today's.
    const quarter = ok(await call<Summary>("query", "usage.summary", { from: day(-89), to: day(0) }, a.as));
    expect(quarter.totals.executions).toBe(5);
    expect(quarter.byDay).toHaveLength(90);
    const past = ok(await call<Summary>("query", "usage.summary", { from: day(-45), to: day(-1) }, a.as));
    expect(past.totals).toMatchObject({ executions: 2, inputTokens: 3000, costUsd: 0.0115 });

    // The budget block: this month's tokens of this tenant (both backdated ones finished this month).
    expect(week.tokenBudget).toMatchObject({ used: 6600, limit: null, remaining: null });

    // The other tenant sees only its own.
    const other = ok(await call<Summary>("query", "usage.summary", { from: day(-89), to: day(0) }, b.as));
    expect(other.totals).toEqual({ executions: 3, failed: 0, inputTokens: 21, outputTokens: 21, costUsd: 0.000126, unpriced: 0 });
    expect(other.byPrompt.map((row) => row.name)).toEqual(["usage-b prompt"]);
    expect(other.tokenBudget.used).toBe(42);

    // A viewer may read it; a session of one tenant cannot read another's.
    const viewer = { tenant: "usage-a", cookie: await login("usage-a", "viewer@usage-a.test") };
    expect(ok(await call<Summary>("query", "usage.summary", { from: day(-6), to: day(0) }, viewer)).totals.executions).toBe(4);
    const crossed = await call("query", "usage.summary", { from: day(-6), to: day(0) }, { tenant: "usage-b", cookie: a.as.cookie });
    expect(crossed.status).toBe(403);
  });

  test("bad ranges are refused with a sentence", async () => {
    const { as } = await workspace("usage-bad");
    const cases: [unknown, RegExp][] = [
      [{ from: day(0), to: day(-1) }, /start date must not be after the end date/],
      [{ from: day(-400), to: day(0) }, /at most 366 days/],
      [{ from: "2026-02-30", to: "2026-03-01" }, /not a real calendar date/],
      [{ from: "yesterday", to: day(0) }, /YYYY-MM-DD/],
    ];
    for (const [input, message] of cases) {
      const result = await call("query", "usage.summary", input, as);
      expect(result.status, JSON.stringify(input)).toBe(400);
      expect(result.error?.message).toMatch(message);
    }
  });
});

describe("token budget", () => {
  test("once the month's tokens reach the budget, executions.create and deployments.run are refused (403) with the numbers", async () => {
    const { tenant, as, promptId } = await workspace("budget");
    await tenantModel.update(tenant.id, { limitTokensPerMonth: 2000 });
    const usage = { inputTokens: 1200, outputTokens: 350 };
    await runOne(as, promptId, "claude-sonnet-4-5", fakeProvider("anthropic", usage));
    // 1550 of 2000: still allowed.
    await runOne(as, promptId, "claude-sonnet-4-5", fakeProvider("anthropic", usage));
    // 3100 ≥ 2000: refused.
    const refused = await call("mutation", "executions.create", { promptId, input: {} }, as);
    expect(refused.status).toBe(403);
    expect(refused.error?.data.quota).toEqual({ resource: "tokens_per_month", limit: 2000, current: 3100 });
    expect(refused.error?.message).toMatch(/token budget is 2,000 tokens a month and executions used 3,100 this month \(UTC\)/);

    const adminOfTenant = { tenant: "budget", cookie: await login("budget", "admin@budget.test") };
    ok(await call("mutation", "deployments.create", { name: "budget-bot", promptId, provider: "template", model: "mustache" }, adminOfTenant));
    const run = await call("mutation", "deployments.run", { name: "budget-bot", input: {} }, as);
    expect(run.status).toBe(403);
    expect(run.error?.data.quota).toEqual({ resource: "tokens_per_month", limit: 2000, current: 3100 });

    const summary = ok(await call<Summary>("query", "usage.summary", { from: day(0), to: day(0) }, as));
    expect(summary.tokenBudget).toMatchObject({ used: 3100, limit: 2000, remaining: 0 });

    // Raising the budget (the admin's tenant form) lets executions in again; removing it too.
    ok(await admin.call("mutation", "tenants.update", { id: tenant.id, settings: { limits: { tokens_per_month: 10_000 } } }));
    ok(await call("mutation", "executions.create", { promptId, input: {} }, as));
    ok(await admin.call("mutation", "tenants.update", { id: tenant.id, settings: { limits: { tokens_per_month: null } } }));
    expect((await tenantModel.findById(tenant.id))?.limitTokensPerMonth).toBeNull();
    ok(await call("mutation", "executions.create", { promptId, input: {} }, as));
    const tooSmall = await admin.call("mutation", "tenants.update", { id: tenant.id, settings: { limits: { tokens_per_month: 10 } } });
    expect(tooSmall.status).toBe(400);
  });

  test("at the budget, 50 parallel creations are all refused and none is stored; one token below, all are accepted", async () => {
    const { tenant, as, promptId } = await workspace("budget-race");
    await tenantModel.update(tenant.id, { limitTokensPerMonth: 1551 });
    await runOne(as, promptId, "claude-sonnet-4-5", fakeProvider("anthropic", { inputTokens: 1200, outputTokens: 350 }));
    const count = () => tenantContext.runWithTenant(tenant.id, () => executionModel.count());
    // 1550 < 1551: every creation passes (tokens are counted when executions finish).
    const below = await Promise.all(Array.from({ length: 10 }, (_, i) => call("mutation", "executions.create", { promptId, input: { i } }, as)));
    expect(below.filter((r) => r.error)).toEqual([]);
    expect(await count()).toBe(11);

    await tenantModel.update(tenant.id, { limitTokensPerMonth: 1550 });
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => call("mutation", "executions.create", { promptId, input: { i } }, as)));
    expect(results.filter((r) => !r.error)).toHaveLength(0);
    for (const result of results) {
      expect(result.status).toBe(403);
      expect(result.error?.data.quota).toEqual({ resource: "tokens_per_month", limit: 1550, current: 1550 });
    }
    expect(await count()).toBe(11);
    // Refused creations do not count as executions of the month either.
    expect(await tenantContext.runWithTenant(tenant.id, () => executionModel.countThisMonth())).toBe(11);
  });
});
