import { settingsModel } from "@sigil/db";
import { z } from "zod";
import { PROVIDER_SETTING_TYPE } from "../services/executions.ts";
import { ExecutionFailure, type ExecutionProvider, type ProviderRequest, type ProviderResult } from "./provider.ts";
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
  const parsed = providerSettingsSchema.safeParse(row.payload);
  if (!parsed.success) {
    const fields = [...new Set(parsed.error.issues.map((issue) => issue.path.join(".") || "(settings)"))].join(", ");
    throw new ExecutionFailure(
      `The settings of provider "${identifier}" are incomplete or malformed (${fields}): an admin must save them again.`,
    );
  }
  return parsed.data;
}

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
}

/**
 * An OpenAI-compatible chat-completions endpoint (OpenAI, Azure-style proxies, Ollama, vLLM, …).
 * It renders the template (input and files, like the `template` provider) and sends the text as
 * one user message: `POST <baseUrl>/chat/completions` with `{ ...options, model, messages }`.
 * `model` and `messages` come from the execution and `stream` is not supported, so options cannot
 * set them. With a response schema (and no `response_format` option) it asks for JSON following it.
 * Binary attachments are not sent; text files reach the model through the template's `files`.
 */
export class OpenAICompatibleProvider implements ExecutionProvider {
  readonly name: string;
  private readonly settings: ProviderSettings;
  private readonly timeoutMs: number;

  constructor(name: string, settings: ProviderSettings, options: OpenAICompatibleProviderOptions = {}) {
    this.name = name;
    this.settings = settings;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_PROVIDER_TIMEOUT_MS;
  }

  async run(request: ProviderRequest, signal: AbortSignal): Promise<ProviderResult> {
    const url = `${this.settings.baseUrl.replace(/\/+$/, "")}/chat/completions`;
    const where = describeUrl(url);
    const body = this.body(request);
    const timeout = AbortSignal.timeout(this.timeoutMs);
    const combined = AbortSignal.any([signal, timeout]);
    let status = 0;
    let text: string;
    let ok: boolean;
    try {
      const response = await fetch(url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          accept: "application/json",
          authorization: `Bearer ${this.settings.apiKey}`,
        },
        body: JSON.stringify(body),
        signal: combined,
        // A redirect could carry the key elsewhere: report it instead of following it.
        redirect: "manual",
      });
      status = response.status;
      ok = response.ok;
      text = await readCapped(response, MAX_RESPONSE_BYTES);
    } catch (error) {
      if (timeout.aborted) {
        throw new ExecutionFailure(`Provider "${this.name}" did not answer within ${this.timeoutMs} ms (${where}).`);
      }
      if (signal.aborted) {
        throw new ExecutionFailure(`Provider "${this.name}" was cancelled: ${this.redact(errorText(signal.reason))}`);
      }
      const what = status === 0 ? `could not be reached at ${where}` : `failed while sending its answer (HTTP ${status})`;
      throw new ExecutionFailure(`Provider "${this.name}" ${what}: ${this.redact(errorText(error))}`);
    }
    if (!ok) {
      throw new ExecutionFailure(`Provider "${this.name}" answered HTTP ${status} (${where}): ${this.excerpt(text)}`);
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new ExecutionFailure(`Provider "${this.name}" answered HTTP ${status} with a body that is not JSON: ${this.excerpt(text)}`);
    }
    const parsed = chatCompletionSchema.safeParse(json);
    if (!parsed.success) {
      throw new ExecutionFailure(
        `Provider "${this.name}" answered HTTP ${status} without a chat completion (expected choices[0].message.content): ${this.excerpt(text)}`,
      );
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

  /** A short, single-line, key-free excerpt of a response body. */
  private excerpt(text: string): string {
    const flat = this.redact(text).replace(/\s+/g, " ").trim();
    if (flat === "") return "(empty body)";
    return flat.length > EXCERPT_LENGTH ? `${flat.slice(0, EXCERPT_LENGTH)}…` : flat;
  }

  /** A server may echo the request (headers included): the key never reaches a stored message. */
  private redact(text: string): string {
    return text.split(this.settings.apiKey).join("[redacted]");
  }
}

/** The URL without credentials or query, for messages. */
function describeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `POST ${parsed.origin}${parsed.pathname}`;
  } catch {
    return "POST (invalid URL)";
  }
}

function errorText(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  // fetch() says "fetch failed" and puts the reason (ECONNREFUSED, a DNS error, …) in `cause`.
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : "";
  return `${error.message}${cause}`;
}

async function readCapped(response: Response, maxBytes: number): Promise<string> {
  if (!response.body) return "";
  // The fetch types leave the chunk type open; a fetch body streams bytes.
  const reader: ReadableStreamDefaultReader<Uint8Array> = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw new Error(`the response is larger than ${maxBytes} bytes`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}
