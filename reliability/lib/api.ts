/**
 * One tRPC call over raw HTTP, timed and classified, as the load clients need it: the typed
 * client (@sigil/client) hides the status code and the difference between "refused" and "the
 * connection broke mid-request", and for a reliability verdict that difference is everything:
 * a refused connection wrote nothing, a broken one may have written (outcome unknown).
 */
import { sigilFetch } from "@sigil/client";
import superjson from "superjson";

export interface Credentials {
  /** `http://<slug>.localhost:<port>` or `http://admin.localhost:<port>`. */
  baseUrl: string;
  apiKey?: string;
  cookie?: string;
}

/** What became of a call: an HTTP answer, a connection refused (nothing sent), or broken (sent, answer lost). */
export type CallOutcome = { kind: "answered"; status: number; data: unknown; message: string | undefined } | { kind: "refused" | "broken"; message: string };

export interface TimedCall {
  outcome: CallOutcome;
  startedAt: number;
  endedAt: number;
}

function headersFor(credentials: Credentials, mutation: boolean): Record<string, string> {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (credentials.apiKey !== undefined) headers.authorization = `Bearer ${credentials.apiKey}`;
  if (credentials.cookie !== undefined) {
    headers.cookie = credentials.cookie;
    // Cookie-authenticated mutations must come from the request's own origin (docs/architecture.md, Traps: CORS and Origin).
    if (mutation) headers.origin = new URL(credentials.baseUrl).origin;
  }
  return headers;
}

const REFUSED_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EADDRNOTAVAIL"]);

function errorCode(error: unknown): string | undefined {
  for (let current: unknown = error; typeof current === "object" && current !== null; current = (current as { cause?: unknown }).cause) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string") return code;
  }
  return undefined;
}

/** Calls `path` (e.g. `prompts.create`) as a query (GET) or mutation (POST), with a timeout. */
export async function callProcedure(
  credentials: Credentials,
  type: "query" | "mutation",
  path: string,
  input: unknown,
  timeoutMs = 30_000,
): Promise<TimedCall> {
  const serialized = JSON.stringify(superjson.serialize(input));
  const url = `${credentials.baseUrl}/api/trpc/${path}` + (type === "query" ? `?input=${encodeURIComponent(serialized)}` : "");
  const startedAt = performance.now();
  let outcome: CallOutcome;
  try {
    const response = await sigilFetch(url, {
      method: type === "query" ? "GET" : "POST",
      headers: headersFor(credentials, type === "mutation"),
      body: type === "mutation" ? serialized : null,
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text();
    outcome = { kind: "answered", status: response.status, ...parseBody(text) };
  } catch (error) {
    const code = errorCode(error);
    outcome = {
      kind: code !== undefined && REFUSED_CODES.has(code) ? "refused" : "broken",
      message: `${code ?? ""} ${error instanceof Error ? error.message : String(error)}`.trim(),
    };
  }
  return { outcome, startedAt, endedAt: performance.now() };
}

function parseBody(text: string): { data: unknown; message: string | undefined } {
  try {
    const body = JSON.parse(text) as { result?: { data?: unknown }; error?: unknown };
    if (body.result !== undefined) return { data: superjson.deserialize(body.result.data as Parameters<typeof superjson.deserialize>[0]), message: undefined };
    const error = superjson.deserialize<{ message?: string }>(body.error as Parameters<typeof superjson.deserialize>[0]);
    return { data: undefined, message: error.message };
  } catch {
    return { data: undefined, message: text.slice(0, 200) };
  }
}

/** The answer's data when the call succeeded (2xx), else an Error that says what happened. */
export function dataOf<T>(call: TimedCall, what: string): T {
  const { outcome } = call;
  if (outcome.kind === "answered" && outcome.status >= 200 && outcome.status < 300) return outcome.data as T;
  const detail = outcome.kind === "answered" ? `HTTP ${outcome.status}: ${outcome.message ?? ""}` : `${outcome.kind}: ${outcome.message}`;
  throw new Error(`${what} failed (${detail})`);
}
