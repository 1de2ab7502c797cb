import { SecretUnreadableError, settingsModel } from "@sigil/db";
import { z } from "zod";
import { PROVIDER_SETTING_TYPE } from "../services/executions.ts";
import { apiConfig } from "../config.ts";
import { outboundRequest, type OutboundPolicy, type OutboundResponse } from "../outbound/request.ts";
import { errorMessage, ExecutionFailure, type ExecutionProvider, type ProviderRequest, type ProviderResult } from "./provider.ts";
import { renderRequest } from "./template-provider.ts";

/** The settings row `provider/<identifier>` as the settings router stores it. */
export const providerSettingsSchema = z.object({
  baseUrl: z.url({ protocol: /^https?$/ }),
  apiKey: z.string().min(1),
  defaultModel: z.string().trim().min(1),
});
export type ProviderSettings = z.infer<typeof providerSettingsSchema>;

export const DEFAULT_PROVIDER_TIMEOUT_MS = 60_000;
/** A chat completion larger than this is refused rather than held in memory. */
const MAX_RESPONSE_BYTES = 5 * 1024 * 1024;
const EXCERPT_LENGTH = 200;
/** Options that come from the execution itself (or that this provider cannot handle). */
const RESERVED_OPTIONS = new Set(["model", "messages", "stream"]);

/**
 * Reads and validates the current tenant's settings `provider/<identifier>`. Must run inside the
 * tenant's context (settings are scoped to it). Missing or malformed settings fail the execution
 * with a message naming what to fix; the stored values (the key above all) are never echoed.
 */
export async function loadProviderSettings(identifier: string): Promise<ProviderSettings> {
  const row = await settingsModel.get(PROVIDER_SETTING_TYPE, identifier);
  if (!row) {
    throw new ExecutionFailure(
      `No provider "${identifier}" is configured for this tenant: an admin must save the provider settings ` +
        `"${identifier}" (base URL, API key, default model), or use the built-in "template" provider.`,
    );
  }
  let apiKey: string | undefined;
  try {
    apiKey = await settingsModel.revealSecret(row, "apiKey");
  } catch (error) {
    if (!(error instanceof SecretUnreadableError)) throw error;
    // The tenant gets what to do; the operator's side (which key is missing) is in error.message.
    throw new ExecutionFailure(
      `The API key of provider "${identifier}" cannot be decrypted by this installation (its secret key changed or the ` +
        `value was altered): an admin must save the provider's key again.`,
      { cause: error },
    );
  }
  const parsed = providerSettingsSchema.safeParse({ ...row.payload, apiKey });
  if (!parsed.success) {
    const fields = [...new Set(parsed.error.issues.map((issue) => issue.path.join(".") || "(settings)"))].join(", ");
    throw new ExecutionFailure(`The settings of provider "${identifier}" are incomplete or malformed (${fields}): an admin must save them again.`);
  }
  return parsed.data;
}

const openAIErrorSchema = z.object({ error: z.object({ message: z.string() }) });

const chatCompletionSchema = z.object({
  choices: z
    .array(
      z.object({
        message: z.object({
          content: z.union([
            z.string(),
            // Some compatible servers answer with content parts.
            z.array(z.object({ type: z.string(), text: z.string().optional() })),
            z.null(),
          ]),
        }),
      }),
    )
    .min(1),
});

export interface OpenAICompatibleProviderOptions {
  /** How long one HTTP call may take, body included (default 60 s). */
  timeoutMs?: number;
  /** Which destinations are allowed besides public addresses (default: SIGIL_OUTBOUND_ALLOW). */
  outbound?: OutboundPolicy;
}

/**
 * An OpenAI-compatible chat-completions endpoint (OpenAI, Azure-style proxies, Ollama, vLLM, …).
 * It renders the template (input and files, like the `template` provider) and sends the text as
 * one user message: `POST <baseUrl>/chat/completions` with `{ ...options, model, messages }`.
 * `model` and `messages` come from the execution and `stream` is not supported, so options cannot
 * set them. With a response schema (and no `response_format` option) it asks for JSON following it.
 * Binary attachments are not sent; text files reach the model through the template's `files`.
 *
 * The request goes through the outbound guard (outbound/request.ts): a base URL on a loopback,
 * private, link-local or metadata address is refused unless SIGIL_OUTBOUND_ALLOW names it, and the
 * tenant sees only "answered HTTP <status>" (with the provider's own JSON error message) or
 * "could not be reached", never another body.
 */
export class OpenAICompatibleProvider implements ExecutionProvider {
  readonly name: string;
  readonly kind = "openai-compatible";
  private readonly settings: ProviderSettings;
  private readonly timeoutMs: number;
  private readonly outbound: OutboundPolicy;

  constructor(name: string, settings: ProviderSettings, options: OpenAICompatibleProviderOptions = {}) {
    this.name = name;
    this.settings = settings;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_PROVIDER_TIMEOUT_MS;
    this.outbound = options.outbound ?? { allow: apiConfig().outboundAllow };
  }

  async run(request: ProviderRequest, signal: AbortSignal): Promise<ProviderResult> {
    const url = `${this.settings.baseUrl.replace(/\/+$/, "")}/chat/completions`;
    const timeout = AbortSignal.timeout(this.timeoutMs);
    let response: OutboundResponse;
    try {
      response = await outboundRequest(
        url,
        {
          method: "POST",
          headers: {
            "content-type": "application/json",
            accept: "application/json",
            authorization: `Bearer ${this.settings.apiKey}`,
          },
          body: JSON.stringify(this.body(request)),
          signal: AbortSignal.any([signal, timeout]),
          maxResponseBytes: MAX_RESPONSE_BYTES,
        },
        this.outbound,
      );
    } catch (error) {
      if (timeout.aborted) throw new ExecutionFailure(`Provider "${this.name}" did not answer within ${this.timeoutMs} ms.`);
      if (signal.aborted) {
        throw new ExecutionFailure(`Provider "${this.name}" was cancelled: ${this.redact(errorMessage(signal.reason))}`);
      }
      // Refused (not a public address) and unreachable read the same: no probing of internal networks.
      throw new ExecutionFailure(`Provider "${this.name}" could not be reached.`, { cause: error });
    }
    const { status, body: text } = response;
    if (status < 200 || status > 299) {
      const message = this.providerErrorMessage(text);
      throw new ExecutionFailure(`Provider "${this.name}" answered HTTP ${status}${message ? `: ${message}` : "."}`);
    }
    const parsed = chatCompletionSchema.safeParse(parseJson(text));
    if (!parsed.success) {
      // The body is not shown: whatever answered may not be a model server at all.
      throw new ExecutionFailure(`Provider "${this.name}" answered HTTP ${status} without a chat completion (expected JSON with choices[0].message.content).`);
    }
    const content = parsed.data.choices[0]?.message.content;
    if (typeof content === "string") return { output: content };
    if (Array.isArray(content)) return { output: content.map((part) => part.text ?? "").join("") };
    throw new ExecutionFailure(`Provider "${this.name}" answered without message content (choices[0].message.content is null).`);
  }

  private body(request: ProviderRequest): Record<string, unknown> {
    const options = Object.fromEntries(Object.entries(request.options).filter(([key]) => !RESERVED_OPTIONS.has(key)));
    const body: Record<string, unknown> = {
      ...options,
      model: request.model.trim() || this.settings.defaultModel,
      messages: [{ role: "user", content: renderRequest(request) }],
    };
    if (request.responseSchema && !("response_format" in options)) {
      body.response_format = { type: "json_schema", json_schema: { name: "response", schema: request.responseSchema } };
    }
    return body;
  }

  /**
   * The provider's own error message when the body is OpenAI's error format
   * (`{"error":{"message":"…"}}`): single-line, key-free, at most EXCERPT_LENGTH characters.
   * Any other body is never shown.
   */
  private providerErrorMessage(text: string): string | null {
    const parsed = openAIErrorSchema.safeParse(parseJson(text));
    if (!parsed.success) return null;
    const flat = this.redact(parsed.data.error.message).replace(/\s+/g, " ").trim();
    if (flat === "") return null;
    return flat.length > EXCERPT_LENGTH ? `${flat.slice(0, EXCERPT_LENGTH)}…` : flat;
  }

  /** A server may echo the request (headers included): the key never reaches a stored message. */
  private redact(text: string): string {
    return text.split(this.settings.apiKey).join("[redacted]");
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
