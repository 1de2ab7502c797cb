import superjson from "superjson";
import type { ApiConfig } from "../config.ts";
import { handleTrpcRequest } from "./handler.ts";

export interface InProcessCallOptions {
  /** Host header; default `<tenant>.localhost` when `tenant` is given, else `localhost`. */
  host?: string;
  tenant?: string;
  /** Prefix for the path-prefix mode, e.g. `/tenant/acme`. */
  pathPrefix?: string;
  headers?: Record<string, string>;
  cookie?: string;
  apiKey?: string;
  /** Defaults to the request's own origin for mutations with a cookie, like a browser. */
  origin?: string | null;
}

export interface InProcessCallResult<T = unknown> {
  status: number;
  data: T | undefined;
  /** `code` is the JSON-RPC number; the tRPC code name is `data.code`. */
  error: { message: string; code: number; data: Record<string, unknown> } | undefined;
  setCookies: string[];
  headers: Headers;
}

/**
 * Calls one tRPC procedure through the API's real fetch handler in this process, the way an HTTP
 * client would (host header, cookie or API key, superjson input), without a socket: the API's
 * tests and the control-plane benchmark time what the server does for a request.
 */
export async function callInProcess<T = unknown>(
  type: "query" | "mutation",
  path: string,
  input: unknown,
  options: InProcessCallOptions,
  config: ApiConfig,
): Promise<InProcessCallResult<T>> {
  const host = options.host ?? (options.tenant ? `${options.tenant}.localhost` : "localhost");
  const headers = new Headers({ host, ...options.headers });
  if (options.cookie) headers.set("cookie", options.cookie);
  if (options.apiKey) headers.set("authorization", `Bearer ${options.apiKey}`);
  // A cookie-authenticated mutation must come from its own origin (docs/architecture.md: CORS and Origin).
  const origin = options.origin === undefined ? (type === "mutation" && options.cookie ? `http://${host}` : null) : options.origin;
  if (origin !== null) headers.set("origin", origin);
  const serialized = input === undefined ? undefined : JSON.stringify(superjson.serialize(input));
  let url = `http://${host}${options.pathPrefix ?? ""}/api/trpc/${path}`;
  let body: string | undefined;
  if (type === "query") {
    if (serialized !== undefined) url += `?input=${encodeURIComponent(serialized)}`;
  } else {
    body = serialized ?? "{}";
    headers.set("content-type", "application/json");
  }
  const response = await handleTrpcRequest(new Request(url, { method: type === "query" ? "GET" : "POST", headers, body }), { config });
  const text = await response.text();
  const setCookies = response.headers.getSetCookie();
  let json: { result?: { data: unknown }; error?: unknown };
  try {
    json = JSON.parse(text) as typeof json;
  } catch {
    // Not a tRPC response (e.g. a path outside /api/trpc): report the body as the message.
    return { status: response.status, data: undefined, error: { message: text, code: 0, data: { code: "NOT_TRPC" } }, setCookies, headers: response.headers };
  }
  if (json.error !== undefined) {
    const error = superjson.deserialize<InProcessCallResult["error"]>(json.error as Parameters<typeof superjson.deserialize>[0]);
    return { status: response.status, data: undefined, error, setCookies, headers: response.headers };
  }
  const data = superjson.deserialize<T>(json.result?.data as Parameters<typeof superjson.deserialize>[0]);
  return { status: response.status, data, error: undefined, setCookies, headers: response.headers };
}

/** `name=value` of a Set-Cookie header, for the next request's Cookie header. */
export function cookieFrom(setCookies: readonly string[], name = "sigil_session"): string {
  const found = setCookies.find((cookie) => cookie.startsWith(`${name}=`));
  if (!found) throw new Error(`no ${name} cookie in ${JSON.stringify(setCookies)}`);
  return found.split(";")[0] ?? "";
}
