import { readApiConfig, type ApiConfig } from "@sigil/api";
import { callInProcess, type InProcessCallOptions } from "@sigil/api/http";

export { cookieFrom } from "@sigil/api/http";

/**
 * One tRPC procedure through the API's real fetch handler in this process (callInProcess), without
 * a socket: the benchmark then times what the server does for a request, and an event-loop probe
 * in this process sees every block the request causes. Anything but a 2xx stops the benchmark.
 */
export type CallOptions = InProcessCallOptions;

export interface CallAnswer<T> {
  status: number;
  data: T;
  setCookies: string[];
}

let config: ApiConfig | undefined;

export async function callProcedure<T>(type: "query" | "mutation", path: string, input: unknown, options: CallOptions): Promise<CallAnswer<T>> {
  config ??= readApiConfig(process.env);
  const answer = await callInProcess<T>(type, path, input, options, config);
  if (answer.error !== undefined || answer.status >= 300) throw new Error(`${path} answered ${answer.status}: ${answer.error?.message ?? "no data"}`);
  return { status: answer.status, data: answer.data as T, setCookies: answer.setCookies };
}
