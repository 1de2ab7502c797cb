import type { ProviderKind } from "@sigil/validators";
import { outboundRequest, type OutboundPolicy, type OutboundResponse } from "../../outbound/request.ts";
import { errorMessage, ExecutionFailure, type ExecutionProvider, type ProviderRequest, type ProviderResult } from "../provider.ts";
import { anthropicWire } from "./anthropic.ts";
import { geminiWire } from "./gemini.ts";
import { ollamaWire } from "./ollama.ts";
import { openAIChatWire, openAICompatibleWire } from "./openai-chat.ts";
import { openAIResponsesWire } from "./openai-responses.ts";
import { isRetryableStatus, MAX_PROVIDER_ATTEMPTS, parseRetryAfter, retryDelayMs } from "./retry.ts";
import type { ProviderSettings } from "./settings.ts";
import type { WireCall, WireFormat } from "./wire.ts";

export const DEFAULT_PROVIDER_TIMEOUT_MS = 60_000;
/** An answer larger than this is refused rather than held in memory. */
const MAX_RESPONSE_BYTES = 5 * 1024 * 1024;
const EXCERPT_LENGTH = 300;

export const WIRE_FORMATS: Record<ProviderKind, WireFormat> = {
  anthropic: anthropicWire,
  openai: openAIChatWire,
  "openai-responses": openAIResponsesWire,
  gemini: geminiWire,
  ollama: ollamaWire,
  "openai-compatible": openAICompatibleWire,
};

export interface HttpProviderOptions {
  /** How long one HTTP call may take, body included (default 60 s). */
  timeoutMs?: number;
  /** Where calls may go besides public addresses (SIGIL_OUTBOUND_ALLOW). */
  outbound: OutboundPolicy;
  /** Calls (first plus retries) at most (default MAX_PROVIDER_ATTEMPTS). */
  maxAttempts?: number;
  /** No retry waits past this many ms after a run starts (the worker's execution deadline). */
  budgetMs?: number;
  /** Replaces the wait between retries (tests); must honour the signal. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

/**
 * A provider reached over HTTP in its own wire format (wire.ts). Every call goes through the
 * outbound guard (outbound/request.ts): a base URL on a loopback, private or link-local address is
 * refused unless SIGIL_OUTBOUND_ALLOW names it, and refused reads the same as unreachable.
 *
 * Retries: a 429, 408, 5xx or a connection failure is tried again, up to `maxAttempts` calls, after
 * the server's Retry-After (seconds or an HTTP date, capped) or exponential backoff with jitter;
 * a wait that would end past the run's budget is not started — the run fails at once, saying so.
 * The tenant sees the provider's own error message (in its format), never another body, and never
 * the key.
 */
export class HttpProvider implements ExecutionProvider {
  readonly name: string;
  readonly kind: ProviderKind;
  private readonly wire: WireFormat;
  private readonly timeoutMs: number;
  private readonly maxAttempts: number;
  private readonly budgetMs: number;
  private readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;

  constructor(
    name: string,
    private readonly settings: ProviderSettings,
    private readonly options: HttpProviderOptions,
  ) {
    this.name = name;
    this.kind = settings.kind;
    this.wire = WIRE_FORMATS[settings.kind];
    this.timeoutMs = options.timeoutMs ?? DEFAULT_PROVIDER_TIMEOUT_MS;
    this.maxAttempts = options.maxAttempts ?? MAX_PROVIDER_ATTEMPTS;
    this.budgetMs = options.budgetMs ?? Number.POSITIVE_INFINITY;
    this.sleep = options.sleep ?? abortableSleep;
  }

  private get label(): string {
    return `"${this.name}" (${this.kind})`;
  }

  async run(request: ProviderRequest, signal: AbortSignal): Promise<ProviderResult> {
    const model = request.model.trim() || this.settings.defaultModel;
    const call = this.wire.generate(request, this.settings, model, this.label);
    const body = await this.send(call, signal, Date.now() + this.budgetMs);
    return this.wire.parseGeneration(body, this.label);
  }

  /** The provider's own model list (its list endpoint), sorted. */
  async listModels(signal: AbortSignal): Promise<string[]> {
    const body = await this.send(this.wire.listModels(this.settings), signal, Date.now() + this.timeoutMs);
    const models = this.wire.parseModels(body);
    if (models === null) throw new ExecutionFailure(`Provider ${this.label} answered without a model list.`);
    return [...new Set(models)].sort((a, b) => a.localeCompare(b));
  }

  /** One call, retried on 429/5xx/network errors; the parsed JSON body of a 2xx answer. */
  private async send(call: WireCall, signal: AbortSignal, deadline: number): Promise<unknown> {
    const url = `${this.settings.baseUrl.replace(/\/+$/, "")}${call.path}`;
    for (let attempt = 1; ; attempt += 1) {
      const outcome = await this.attempt(url, call, signal);
      if ("body" in outcome) return outcome.body;
      if (!outcome.retryable || attempt >= this.maxAttempts) throw outcome.failure;
      const wait = retryDelayMs(attempt, outcome.retryAfterMs);
      if (Date.now() + wait >= deadline) {
        throw new ExecutionFailure(
          `${outcome.failure.message} A retry in ${Math.ceil(wait / 1000)} s would end past the execution's deadline, so it was not tried.`,
        );
      }
      try {
        await this.sleep(wait, signal);
      } catch {
        throw this.cancelled(signal);
      }
    }
  }

  private async attempt(
    url: string,
    call: WireCall,
    signal: AbortSignal,
  ): Promise<{ body: unknown } | { failure: ExecutionFailure; retryable: boolean; retryAfterMs: number | null }> {
    const timeout = AbortSignal.timeout(this.timeoutMs);
    let response: OutboundResponse;
    try {
      response = await outboundRequest(
        url,
        {
          method: call.method,
          headers: { accept: "application/json", ...(call.body === undefined ? {} : { "content-type": "application/json" }), ...call.headers },
          ...(call.body === undefined ? {} : { body: JSON.stringify(call.body) }),
          signal: AbortSignal.any([signal, timeout]),
          maxResponseBytes: MAX_RESPONSE_BYTES,
        },
        this.options.outbound,
      );
    } catch (error) {
      if (signal.aborted) throw this.cancelled(signal);
      if (timeout.aborted) {
        return { failure: new ExecutionFailure(`Provider ${this.label} did not answer within ${this.timeoutMs} ms.`), retryable: true, retryAfterMs: null };
      }
      // Refused (not a public address) and unreachable read the same: no probing of internal networks.
      return { failure: new ExecutionFailure(`Provider ${this.label} could not be reached.`, { cause: error }), retryable: true, retryAfterMs: null };
    }
    const { status } = response;
    const json = parseJson(response.body);
    if (status >= 200 && status <= 299) {
      if (json === undefined) throw new ExecutionFailure(`Provider ${this.label} answered HTTP ${status} without JSON.`);
      return { body: json };
    }
    const message = this.providerMessage(json);
    const failure = new ExecutionFailure(`Provider ${this.label} answered HTTP ${status}${message ? `: ${message}` : "."}`);
    return { failure, retryable: isRetryableStatus(status), retryAfterMs: parseRetryAfter(response.headers["retry-after"]) };
  }

  private cancelled(signal: AbortSignal): ExecutionFailure {
    return new ExecutionFailure(`Provider ${this.label} was cancelled: ${this.redact(errorMessage(signal.reason))}`);
  }

  /** The provider's own message from its error format: one line, key-free, bounded. Any other body is never shown. */
  private providerMessage(json: unknown): string | null {
    const message = json === undefined ? null : this.wire.errorMessage(json);
    if (!message) return null;
    const flat = this.redact(message).replace(/\s+/g, " ").trim();
    if (flat === "") return null;
    return flat.length > EXCERPT_LENGTH ? `${flat.slice(0, EXCERPT_LENGTH)}…` : flat;
  }

  /** A server may echo the request (headers included): the key never reaches a stored message. */
  private redact(text: string): string {
    return this.settings.apiKey === "" ? text : text.split(this.settings.apiKey).join("[redacted]");
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(signal.reason instanceof Error ? signal.reason : new Error("aborted"));
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason instanceof Error ? signal.reason : new Error("aborted"));
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
