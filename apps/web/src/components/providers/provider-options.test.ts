import { describe, expect, test } from "vitest";
import { optionsHint, optionsText, parseProviderOptions, providerKindOf } from "./provider-options";

describe("optionsHint", () => {
  test("names the options of the kind, under its own names", () => {
    expect(optionsHint("anthropic")).toContain("temperature, top_p, top_k, max_tokens, stop_sequences");
    expect(optionsHint("gemini")).toContain("maxOutputTokens");
    expect(optionsHint("template")).toBe("The built-in template provider takes no options.");
    expect(optionsHint(undefined)).toMatch(/^A JSON object of the provider's options/);
  });
});

describe("parseProviderOptions", () => {
  test("valid options of the kind, and blank text as none", () => {
    expect(parseProviderOptions('{"temperature": 0.2, "max_tokens": 50}', "openai")).toEqual({ ok: true, value: { temperature: 0.2, max_tokens: 50 } });
    expect(parseProviderOptions("  ", "anthropic")).toEqual({ ok: true, value: {} });
  });

  test("an unknown option is refused naming the allowed ones", () => {
    const result = parseProviderOptions('{"temprature": 0.2}', "openai-compatible");
    expect(result.ok ? null : result.message).toBe(
      "Options for a provider of kind openai-compatible are not valid: unknown option temprature (allowed: temperature, top_p, max_tokens, stop, presence_penalty, frequency_penalty, seed).",
    );
  });

  test("a value out of the kind's range is refused", () => {
    const result = parseProviderOptions('{"temperature": 1.5}', "anthropic");
    expect(result.ok ? null : result.message).toMatch(/^Options for a provider of kind anthropic are not valid: temperature: /);
  });

  test("not a JSON object is refused before the kind is asked", () => {
    const result = parseProviderOptions("[1]", "openai");
    expect(result.ok ? null : result.message).toMatch(/^Options must be a JSON object/);
  });

  test("the template provider takes none: typed text is not sent", () => {
    expect(parseProviderOptions('{"temperature": 0.2}', "template")).toEqual({ ok: true, value: {} });
  });

  test("an unknown kind leaves the check to the server", () => {
    expect(parseProviderOptions('{"temprature": 0.2}', undefined)).toEqual({ ok: true, value: { temprature: 0.2 } });
  });

  test("over a base, the merged options are checked and only the typed ones returned", () => {
    expect(parseProviderOptions('{"max_tokens": 10}', "anthropic", { temperature: 0.5 })).toEqual({ ok: true, value: { max_tokens: 10 } });
    const merged = parseProviderOptions('{"max_tokens": 10}', "anthropic", { temprature: 0.5 });
    expect(merged.ok ? null : merged.message).toContain("unknown option temprature");
  });
});

describe("optionsText", () => {
  test("blank for none, indented JSON otherwise", () => {
    expect(optionsText({})).toBe("");
    expect(optionsText(undefined)).toBe("");
    expect(optionsText({ temperature: 0.2 })).toBe('{\n  "temperature": 0.2\n}');
  });
});

describe("providerKindOf", () => {
  const providers = [{ identifier: "claude", kind: "anthropic" as const }];
  test("template, a listed provider, an unlisted one", () => {
    expect(providerKindOf("template", providers)).toBe("template");
    expect(providerKindOf("claude", providers)).toBe("anthropic");
    expect(providerKindOf("gone", providers)).toBeUndefined();
  });
});
