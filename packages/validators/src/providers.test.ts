import { describe, expect, test } from "vitest";
import { PROVIDER_KINDS, providerOptionNames, providerOptionsProblem, providerOptionsSchema } from "./index.ts";

describe("providerOptionsSchema", () => {
  test("each kind takes its provider's own names and ranges", () => {
    expect(providerOptionsSchema("anthropic").safeParse({ temperature: 1, max_tokens: 100, top_k: 5, stop_sequences: ["END"] }).success).toBe(true);
    // Anthropic's temperature goes to 1, OpenAI's to 2.
    expect(providerOptionsSchema("anthropic").safeParse({ temperature: 1.5 }).success).toBe(false);
    expect(providerOptionsSchema("openai").safeParse({ temperature: 1.5, stop: "END", max_completion_tokens: 10 }).success).toBe(true);
    expect(providerOptionsSchema("openai").safeParse({ stop: ["a", "b", "c", "d", "e"] }).success).toBe(false);
    expect(providerOptionsSchema("gemini").safeParse({ maxOutputTokens: 64, topP: 0.5, stopSequences: ["x"] }).success).toBe(true);
    expect(providerOptionsSchema("gemini").safeParse({ max_tokens: 64 }).success).toBe(false);
    expect(providerOptionsSchema("ollama").safeParse({ num_predict: -1, top_k: 40 }).success).toBe(true);
    expect(providerOptionsSchema("openai-responses").safeParse({ max_output_tokens: 10 }).success).toBe(true);
    expect(providerOptionsSchema("openai-responses").safeParse({ stop: ["x"] }).success).toBe(false);
    expect(providerOptionsSchema("template").safeParse({}).success).toBe(true);
  });

  test("every kind refuses what would change the request itself", () => {
    for (const kind of PROVIDER_KINDS) {
      for (const reserved of ["model", "messages", "stream", "response_format", "tools"]) {
        expect(providerOptionNames(kind)).not.toContain(reserved);
        expect(providerOptionsSchema(kind).safeParse({ [reserved]: 1 }).success).toBe(false);
      }
    }
  });
});

describe("providerOptionsProblem", () => {
  test("names each bad option and why, and what the kind allows", () => {
    expect(providerOptionsProblem("anthropic", { temperature: 0.5 })).toBeNull();
    expect(providerOptionsProblem("anthropic", { temperature: 3, max_output_tokens: 5 })).toBe(
      "Options for a provider of kind anthropic are not valid: temperature: Enter 1 or less; unknown option max_output_tokens " +
        "(allowed: temperature, top_p, top_k, max_tokens, stop_sequences).",
    );
    expect(providerOptionsProblem("template", { temperature: 0 })).toBe(
      "Options for the template provider are not valid: the template provider takes no options (got temperature).",
    );
  });
});
