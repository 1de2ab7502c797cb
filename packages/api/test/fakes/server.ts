import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * The shared machinery of the fake provider servers (one module per wire format beside this file):
 * a local HTTP server on 127.0.0.1 that records every request, answers like the real API, and
 * can be told to misbehave for the next generation requests (rate limits with Retry-After, server
 * errors, slow answers). Only node:http, so e2e scenarios and scripts/fake-providers.ts import it too.
 */

export interface RecordedRequest {
  method: string;
  /** Path and query string, e.g. "/v1/messages" or "/v1beta/models/m:generateContent?key=k". */
  url: string;
  headers: IncomingHttpHeaders;
  /** The parsed JSON body (undefined for a GET or a body that is not JSON). */
  body: unknown;
  at: number;
}

/** What the next generation request gets instead of a normal answer. */
export type Misbehaviour =
  | { kind: "rate-limit"; retryAfter?: string }
  | { kind: "server-error"; status?: number }
  | { kind: "error"; status: number; message: string; type?: string }
  | { kind: "slow"; delayMs: number };

export interface ProviderAnswer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** A wire format's side of a fake: which requests are which and how the real API words its answers. */
export interface FakeWire {
  /** The generation request ("…/messages", "/chat/completions", …). */
  isGeneration(method: string, path: string): boolean;
  isModelList(method: string, path: string): boolean;
  /** Null when the credentials are right; else the real API's "unauthorized" answer. */
  checkAuth(request: RecordedRequest, apiKey: string | null): ProviderAnswer | null;
  generate(request: RecordedRequest): ProviderAnswer;
  models(): ProviderAnswer;
  /** An error body in the API's own format. */
  error(status: number, message: string, type?: string): ProviderAnswer;
}

export interface FakeProvider {
  url: string;
  port: number;
  requests: RecordedRequest[];
  /** Generation requests only. */
  generations(): RecordedRequest[];
  /** The next generation requests get these, in order (then normal answers again). */
  misbehave(...next: Misbehaviour[]): void;
  /** Every generation answer waits this long (concurrency tests). */
  setDelay(ms: number): void;
  /** Most generation requests that were being answered at the same time. */
  maxInFlight(): number;
  reset(): void;
  close(): Promise<void>;
}

export interface FakeOptions {
  port?: number;
  /** The key the fake accepts; null: any (or none). */
  apiKey?: string | null;
}

const MODELS = ["fake-large", "fake-small"];
export const FAKE_MODELS: readonly string[] = MODELS;

export async function startFake(wire: FakeWire, options: FakeOptions = {}): Promise<FakeProvider> {
  const requests: RecordedRequest[] = [];
  const generations: RecordedRequest[] = [];
  let queue: Misbehaviour[] = [];
  let delayMs = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  const apiKey = options.apiKey === undefined ? null : options.apiKey;

  const answer = (res: ServerResponse, reply: ProviderAnswer) => {
    if (res.destroyed) return;
    res.writeHead(reply.status, { "content-type": "application/json", ...reply.headers });
    res.end(JSON.stringify(reply.body));
  };
  const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const raw = await readBody(req);
    const recorded: RecordedRequest = { method: req.method ?? "GET", url: req.url ?? "/", headers: req.headers, body: parseJson(raw), at: Date.now() };
    requests.push(recorded);
    const path = recorded.url.split("?")[0] ?? "/";
    const denied = wire.checkAuth(recorded, apiKey);
    if (denied) return answer(res, denied);
    if (wire.isModelList(recorded.method, path)) return answer(res, wire.models());
    if (!wire.isGeneration(recorded.method, path)) return answer(res, wire.error(404, `No route for ${recorded.method} ${path}.`, "not_found_error"));
    generations.push(recorded);
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    try {
      const next = queue.shift();
      if (next?.kind === "slow") await wait(next.delayMs);
      if (delayMs > 0) await wait(delayMs);
      if (next?.kind === "rate-limit") {
        const reply = wire.error(429, "Rate limit reached for requests; please retry later.", "rate_limit_error");
        return answer(res, { ...reply, headers: next.retryAfter === undefined ? {} : { "retry-after": next.retryAfter } });
      }
      if (next?.kind === "server-error")
        return answer(res, wire.error(next.status ?? 500, "The server had an error while processing your request.", "api_error"));
      if (next?.kind === "error") return answer(res, wire.error(next.status, next.message, next.type));
      return answer(res, wire.generate(recorded));
    } finally {
      inFlight -= 1;
    }
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => answer(res, wire.error(500, `Fake server failure: ${String(error)}`)));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    generations: () => [...generations],
    misbehave: (...next) => queue.push(...next),
    setDelay: (ms) => {
      delayMs = ms;
    },
    maxInFlight: () => maxInFlight,
    reset: () => {
      requests.length = 0;
      generations.length = 0;
      queue = [];
      delayMs = 0;
      maxInFlight = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function parseJson(raw: string): unknown {
  if (raw === "") return undefined;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    return undefined;
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Tokens as the fakes count them: words, so tests can predict usage blocks. */
export function countTokens(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}

/**
 * What every fake answers: "echo: <the user's text>", or with a response schema a JSON object
 * `{"echo": …}` (the fakes do not follow the schema; the request shape is what tests check).
 */
export function echo(text: string, structured: boolean): string {
  return structured ? JSON.stringify({ echo: text }) : `echo: ${text}`;
}

/** The text parts of a message content in any of the formats (string, or parts with `text`). */
export function textOf(content: unknown): string {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content
    .map((part) => (isRecord(part) && typeof part.text === "string" ? part.text : ""))
    .filter(Boolean)
    .join("\n");
}
