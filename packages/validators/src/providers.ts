import { z } from "zod";

/**
 * The wire formats Sigil speaks natively. "openai-compatible" is any server speaking OpenAI's Chat
 * Completions (vLLM, LM Studio, proxies); a stored provider without a kind is one of those, as
 * before kinds existed. "template" is the built-in provider (no network).
 */
export const PROVIDER_KINDS = ["openai", "openai-responses", "anthropic", "gemini", "ollama", "openai-compatible"] as const;
export type ProviderKind = (typeof PROVIDER_KINDS)[number];
export type ProviderOptionsKind = ProviderKind | "template";
export const providerKind = z.enum(PROVIDER_KINDS);

export const PROVIDER_KIND_LABELS: Record<ProviderKind, string> = {
  openai: "OpenAI (Chat Completions)",
  "openai-responses": "OpenAI (Responses API)",
  anthropic: "Anthropic (Messages API)",
  gemini: "Google Gemini",
  ollama: "Ollama",
  "openai-compatible": "OpenAI-compatible server",
};

/** Where each kind's API lives by default (the settings form pre-fills it). */
export const DEFAULT_BASE_URLS: Record<ProviderKind, string> = {
  openai: "https://api.openai.com/v1",
  "openai-responses": "https://api.openai.com/v1",
  anthropic: "https://api.anthropic.com",
  gemini: "https://generativelanguage.googleapis.com",
  ollama: "http://localhost:11434",
  "openai-compatible": "",
};

/** Kinds that run without an API key (a local server usually has none). */
export const KEYLESS_KINDS: readonly ProviderKind[] = ["ollama", "openai-compatible"];

/** Anthropic requires max_tokens: this is sent when the options name none. */
export const ANTHROPIC_DEFAULT_MAX_TOKENS = 4096;
export const DEFAULT_MAX_CONCURRENCY = 4;

const number = (min: number, max: number) => z.number().min(min).max(max);
const positiveInt = (max: number) => z.int().min(1).max(max);
const stopList = (max: number) => z.array(z.string().min(1).max(200)).min(1).max(max);

const OPENAI_OPTIONS = z.strictObject({
  temperature: number(0, 2).optional(),
  top_p: number(0, 1).optional(),
  max_tokens: positiveInt(1_000_000).optional(),
  max_completion_tokens: positiveInt(1_000_000).optional(),
  stop: z.union([z.string().min(1).max(200), stopList(4)]).optional(),
  presence_penalty: number(-2, 2).optional(),
  frequency_penalty: number(-2, 2).optional(),
  seed: z.int().optional(),
});

/**
 * Per-run options of each kind, under the provider's own names and ranges (its API reference):
 * what a deployment stores and what executions.create accepts. Strict: an unknown option is refused
 * rather than silently sent or dropped.
 */
const OPTION_SCHEMAS = {
  template: z.strictObject({}),
  "openai-responses": z.strictObject({
    temperature: number(0, 2).optional(),
    top_p: number(0, 1).optional(),
    max_output_tokens: positiveInt(1_000_000).optional(),
  }),
  anthropic: z.strictObject({
    temperature: number(0, 1).optional(),
    top_p: number(0, 1).optional(),
    top_k: positiveInt(1_000).optional(),
    max_tokens: positiveInt(1_000_000).optional(),
    stop_sequences: stopList(8).optional(),
  }),
  gemini: z.strictObject({
    temperature: number(0, 2).optional(),
    topP: number(0, 1).optional(),
    topK: positiveInt(1_000).optional(),
    maxOutputTokens: positiveInt(1_000_000).optional(),
    stopSequences: stopList(5).optional(),
  }),
  ollama: z.strictObject({
    temperature: number(0, 2).optional(),
    top_p: number(0, 1).optional(),
    top_k: positiveInt(1_000).optional(),
    num_predict: z.int().min(-2).max(1_000_000).optional(),
    stop: stopList(8).optional(),
    seed: z.int().optional(),
  }),
  openai: OPENAI_OPTIONS,
  // Compatible servers take Chat Completions' classic names; max_completion_tokens is OpenAI's own.
  "openai-compatible": OPENAI_OPTIONS.omit({ max_completion_tokens: true }),
} satisfies Record<ProviderOptionsKind, z.ZodType>;

export type ProviderOptions<K extends ProviderOptionsKind> = z.infer<(typeof OPTION_SCHEMAS)[K]>;

export function providerOptionsSchema<K extends ProviderOptionsKind>(kind: K): (typeof OPTION_SCHEMAS)[K] {
  return OPTION_SCHEMAS[kind];
}

/** The option names a kind accepts, for forms and error messages. */
export function providerOptionNames(kind: ProviderOptionsKind): string[] {
  return Object.keys(OPTION_SCHEMAS[kind].shape);
}

/**
 * One sentence for options a kind refuses, naming each bad option and why, or null when they are
 * valid: "Options for a provider of kind anthropic are not valid: temperature: Enter 1 or less;
 * unknown option max_output_tokens (allowed: …)."
 */
export function providerOptionsProblem(kind: ProviderOptionsKind, options: unknown): string | null {
  const parsed = OPTION_SCHEMAS[kind].safeParse(options);
  if (parsed.success) return null;
  const allowed = providerOptionNames(kind);
  const problems = parsed.error.issues.map((issue) => {
    if (issue.code === "unrecognized_keys") {
      const names = issue.keys.join(", ");
      return allowed.length === 0
        ? `${kind === "template" ? "the template provider" : kind} takes no options (got ${names})`
        : `unknown option${issue.keys.length > 1 ? "s" : ""} ${names} (allowed: ${allowed.join(", ")})`;
    }
    const path = issue.path.map(String).join(".");
    const message = issue.message.replace(/\.$/, "");
    return path ? `${path}: ${message}` : message;
  });
  return `Options for ${kind === "template" ? "the template provider" : `a provider of kind ${kind}`} are not valid: ${problems.join("; ")}.`;
}
