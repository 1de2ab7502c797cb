import { PRICED_PROVIDER_KINDS } from "@sigil/validators";
import { describe, expect, test } from "vitest";
import { costOf, roundUsd } from "./cost.ts";
import { DEFAULT_PRICES, DEFAULT_PRICES_TAKEN_ON, priceKindOf } from "./defaults.ts";
import { matchPricedModel, snapshotAlias } from "./model-match.ts";

describe("model-name matching", () => {
  const priced = new Map([
    ["claude-sonnet-4-5", 1],
    ["gpt-4o", 2],
    ["gpt-4o-mini", 3],
    ["claude-3-7-sonnet", 4],
    ["gpt-4o-2024-05-13", 5],
  ]);

  test("an exact name wins", () => {
    expect(matchPricedModel("gpt-4o", priced)).toBe("gpt-4o");
    expect(matchPricedModel("gpt-4o-mini", priced)).toBe("gpt-4o-mini");
    // A snapshot the table names itself keeps its own price.
    expect(matchPricedModel("gpt-4o-2024-05-13", priced)).toBe("gpt-4o-2024-05-13");
  });

  test("a dated snapshot takes its alias's price", () => {
    expect(matchPricedModel("claude-sonnet-4-5-20250929", priced)).toBe("claude-sonnet-4-5");
    expect(matchPricedModel("gpt-4o-2024-08-06", priced)).toBe("gpt-4o");
    expect(matchPricedModel("gpt-4o-mini-2024-07-18", priced)).toBe("gpt-4o-mini");
    expect(matchPricedModel("claude-3-7-sonnet-latest", priced)).toBe("claude-3-7-sonnet");
  });

  test("nothing else is guessed", () => {
    expect(matchPricedModel("gpt-4o-audio-preview", priced)).toBeNull();
    expect(matchPricedModel("claude-sonnet-4-5-2025092", priced)).toBeNull();
    expect(matchPricedModel("claude-sonnet-4", priced)).toBeNull();
    expect(matchPricedModel("GPT-4O", priced)).toBeNull();
    expect(matchPricedModel("", priced)).toBeNull();
    expect(snapshotAlias("20250929")).toBeNull();
    expect(snapshotAlias("-20250929")).toBeNull();
  });
});

describe("cost arithmetic", () => {
  test("each token count times its price per million", () => {
    expect(costOf({ inputTokens: 1_000_000, outputTokens: 1_000_000 }, { inputUsdPerMillion: 3, outputUsdPerMillion: 15 })).toBe(18);
    expect(costOf({ inputTokens: 1200, outputTokens: 350 }, { inputUsdPerMillion: 3, outputUsdPerMillion: 15 })).toBe(0.00885);
    expect(costOf({ inputTokens: 0, outputTokens: 0 }, { inputUsdPerMillion: 3, outputUsdPerMillion: 15 })).toBe(0);
  });

  test("rounded to the nano-dollar, without floating-point noise", () => {
    // 0.1 + 0.2 style noise: 3 tokens at $0.1/M and 3 at $0.2/M.
    expect(costOf({ inputTokens: 3, outputTokens: 3 }, { inputUsdPerMillion: 0.1, outputUsdPerMillion: 0.2 })).toBe(0.0000009);
    // One token of the cheapest model still costs something.
    expect(costOf({ inputTokens: 1, outputTokens: 0 }, { inputUsdPerMillion: 0.05, outputUsdPerMillion: 0.4 })).toBe(0.00000005);
    // Below half a nano-dollar rounds to zero; half and above rounds up.
    expect(costOf({ inputTokens: 1, outputTokens: 0 }, { inputUsdPerMillion: 0.0004, outputUsdPerMillion: 0 })).toBe(0);
    expect(roundUsd(0.0000000016)).toBe(0.000000002);
    expect(roundUsd(1.23456789049)).toBe(1.23456789);
  });
});

describe("default prices", () => {
  test("were taken on a real date, in the past", () => {
    expect(DEFAULT_PRICES_TAKEN_ON).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(new Date(`${DEFAULT_PRICES_TAKEN_ON}T00:00:00Z`).toISOString().slice(0, 10)).toBe(DEFAULT_PRICES_TAKEN_ON);
    expect(Date.parse(DEFAULT_PRICES_TAKEN_ON)).toBeLessThan(Date.now());
  });

  test("are well-formed: priced kinds, one price per kind and model, positive finite prices, alias names", () => {
    const seen = new Set<string>();
    for (const price of DEFAULT_PRICES) {
      expect(PRICED_PROVIDER_KINDS).toContain(price.providerKind);
      const key = `${price.providerKind}/${price.model}`;
      expect(seen.has(key), key).toBe(false);
      seen.add(key);
      for (const usd of [price.inputUsdPerMillion, price.outputUsdPerMillion]) {
        expect(Number.isFinite(usd) && usd > 0, key).toBe(true);
      }
      // Output costs at least as much as input for every listed model.
      expect(price.outputUsdPerMillion).toBeGreaterThanOrEqual(price.inputUsdPerMillion);
      // Aliases, never dated snapshots (those match their alias).
      expect(snapshotAlias(price.model), key).toBeNull();
      expect(price.model).toMatch(/^\S+$/);
    }
  });

  test("cover the main models of each public provider, and none of the self-hosted kinds", () => {
    const kinds = new Set(DEFAULT_PRICES.map((price) => price.providerKind));
    expect([...kinds].sort()).toEqual(["anthropic", "gemini", "openai"]);
    const models = DEFAULT_PRICES.map((price) => price.model);
    for (const model of ["claude-sonnet-4-5", "claude-haiku-4-5", "gpt-4o", "gpt-4o-mini", "o3", "gemini-2.5-pro", "gemini-2.5-flash"]) {
      expect(models).toContain(model);
    }
  });

  test("the Responses API shares the openai prices; template and unknown kinds are never priced", () => {
    expect(priceKindOf("openai-responses")).toBe("openai");
    expect(priceKindOf("openai")).toBe("openai");
    expect(priceKindOf("ollama")).toBe("ollama");
    expect(priceKindOf("template")).toBeNull();
    expect(priceKindOf("something-else")).toBeNull();
  });
});
