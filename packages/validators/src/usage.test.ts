import { describe, expect, test } from "vitest";
import { setModelPriceInput, usageSummaryInput } from "./usage.ts";
import { PLAN_DEFAULT_LIMITS, tenantLimits } from "./tenants.ts";

const message = (result: { success: boolean; error?: { issues: { message: string }[] } }) => result.error?.issues[0]?.message;

describe("usage and price inputs", () => {
  test("a usage range is whole UTC days, start before end, at most 366 days", () => {
    expect(usageSummaryInput.safeParse({ from: "2026-01-01", to: "2026-12-31" }).success).toBe(true);
    expect(usageSummaryInput.safeParse({ from: "2026-03-01", to: "2026-03-01" }).success).toBe(true);
    expect(message(usageSummaryInput.safeParse({ from: "2026-03-02", to: "2026-03-01" }))).toMatch(/must not be after/);
    expect(message(usageSummaryInput.safeParse({ from: "2025-01-01", to: "2026-01-02" }))).toMatch(/at most 366 days/);
    expect(message(usageSummaryInput.safeParse({ from: "2026-02-29", to: "2026-03-01" }))).toMatch(/not a real calendar date/);
    expect(message(usageSummaryInput.safeParse({ from: "2026-3-1", to: "2026-03-01" }))).toMatch(/YYYY-MM-DD/);
  });

  test("a price is a kind that can be priced, a model without spaces, two non-negative amounts", () => {
    const ok = { providerKind: "ollama", model: "llama3.1:8b", inputUsdPerMillion: 0, outputUsdPerMillion: 0.2 };
    expect(setModelPriceInput.safeParse(ok).success).toBe(true);
    expect(message(setModelPriceInput.safeParse({ ...ok, providerKind: "template" }))).toMatch(/Choose one of the provider kinds/);
    expect(message(setModelPriceInput.safeParse({ ...ok, outputUsdPerMillion: -0.1 }))).toBe("The output price cannot be negative.");
    expect(message(setModelPriceInput.safeParse({ ...ok, inputUsdPerMillion: 20_000 }))).toMatch(/at most \$10,000/);
    expect(message(setModelPriceInput.safeParse({ ...ok, model: "  " }))).toMatch(/Enter the model's name/);
  });
});

describe("the token budget limit", () => {
  test("optional, null for none, at least 1,000 tokens when set", () => {
    const base = { users: 5, storage: 100, executions_per_month: 1_000 };
    expect(tenantLimits.safeParse(base).success).toBe(true);
    expect(tenantLimits.safeParse({ ...base, tokens_per_month: null }).success).toBe(true);
    expect(tenantLimits.safeParse({ ...base, tokens_per_month: 5_000 }).success).toBe(true);
    expect(message(tenantLimits.safeParse({ ...base, tokens_per_month: 10 }))).toMatch(/at least 1,000 tokens a month/);
    expect(message(tenantLimits.safeParse({ ...base, tokens_per_month: 1.5 }))).toMatch(/whole number/);
  });

  test("every plan's defaults pass the schema", () => {
    for (const limits of Object.values(PLAN_DEFAULT_LIMITS)) expect(tenantLimits.safeParse(limits).success).toBe(true);
  });
});
