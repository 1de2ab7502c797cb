import { readApiConfig, type ApiConfig } from "@sigil/api";
import { handleTrpcRequest } from "@sigil/api/http";
import superjson from "superjson";

/**
 * Calls one tRPC procedure through the API's real fetch handler in this process, as an HTTP client
 * would (host header, cookie or API key, superjson input), without a socket: the benchmark then
 * times what the server does for a request, and an event-loop probe in this process sees every
 * block the request causes.
 */
export interface CallOptions {
  host: string;
  cookie?: string;
  apiKey?: string;
  tenantHeader?: string;
}

export interface CallAnswer<T> {
  status: number;
  data: T;
  setCookies: string[];
}

let config: ApiConfig | undefined;

export async function callProcedure<T>(type: "query" | "mutation", path: string, input: unknown, options: CallOptions): Promise<CallAnswer<T>> {
  config ??= readApiConfig(process.env);
  const headers = new Headers({ host: options.host });
  if (options.cookie) headers.set("cookie", options.cookie);
  if (options.apiKey) headers.set("authorization", `Bearer ${options.apiKey}`);
  if (options.tenantHeader) headers.set("x-tenant-id", options.tenantHeader);
  // A cookie-authenticated mutation must come from its own origin (docs/architecture.md: CORS and Origin).
  if (type === "mutation" && options.cookie) headers.set("origin", `http://${options.host}`);
  const serialized = input === undefined ? undefined : JSON.stringify(superjson.serialize(input));
  let url = `http://${options.host}/api/trpc/${path}`;
  let body: string | undefined;
  if (type === "query") {
    if (serialized !== undefined) url += `?input=${encodeURIComponent(serialized)}`;
  } else {
    body = serialized ?? "{}";
    headers.set("content-type", "application/json");
  }
  const response = await handleTrpcRequest(new Request(url, { method: type === "query" ? "GET" : "POST", headers, body }), { config });
  const text = await response.text();
  if (!response.ok) throw new Error(`${path} answered ${response.status}: ${text.slice(0, 300)}`);
  const json = JSON.parse(text) as { result?: { data: unknown } };
  const data = superjson.deserialize<T>(json.result?.data as Parameters<typeof superjson.deserialize>[0]);
  return { status: response.status, data, setCookies: response.headers.getSetCookie() };
}

/** `name=value` of a Set-Cookie header, for the next request's Cookie header. */
export function cookieFrom(setCookies: readonly string[], name: string): string {
  const found = setCookies.find((cookie) => cookie.startsWith(`${name}=`));
  if (!found) throw new Error(`the answer set no ${name} cookie`);
  return found.split(";")[0] ?? "";
}
