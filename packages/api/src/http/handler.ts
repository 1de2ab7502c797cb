import { MAX_BATCH_SIZE } from "@sigil/validators";
import type { TRPCError } from "@trpc/server";
import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import type { ApiConfig } from "../config.ts";
import { createContext } from "../context.ts";
import { isRuntimeErrorText } from "../errors.ts";
import { logger } from "../observability/logger.ts";
import { appRouter } from "../root.ts";
import { trpcErrorBody, trpcProcedures } from "./trpc-error-body.ts";

/** tRPC lives at `/api/trpc`, also under a tenant's path prefix: `/tenant/<slug>/api/trpc`. */
export function trpcEndpoint(pathname: string): string | null {
  const match = /^(\/tenant\/[^/]+)?\/api\/trpc(?:\/|$)/.exec(pathname);
  return match ? `${match[1] ?? ""}/api/trpc` : null;
}

/**
 * Headers of every API answer. Answers depend on the caller's cookie or key: no cache may keep
 * them (nor a Set-Cookie). JSON is never a document to render or to frame.
 */
export const API_RESPONSE_HEADERS: Readonly<Record<string, string>> = {
  "cache-control": "no-store",
  "content-security-policy": "default-src 'none'; frame-ancestors 'none'",
};

/** A batch over MAX_BATCH_SIZE, refused before tRPC runs: its answer body, or null when it is fine. */
export function batchRefusal(url: URL): string | null {
  const procedures = trpcProcedures(url.pathname);
  if (procedures.length <= MAX_BATCH_SIZE) return null;
  const message = `A batch may call at most ${MAX_BATCH_SIZE} procedures; this one calls ${procedures.length}. Split it into smaller batches.`;
  return trpcErrorBody(url, "BAD_REQUEST", 400, message);
}

/** What the server log keeps of a failed call (the client gets a sentence instead, errors.ts). */
export function logTrpcError({ error, path }: { error: TRPCError; path?: string | undefined }): void {
  if (error.code === "INTERNAL_SERVER_ERROR") logger().error({ err: error.cause ?? error, procedure: path ?? "?" }, "procedure failed");
  else if (isRuntimeErrorText(error)) logger().warn({ procedure: path ?? "?", reason: error.message }, "unreadable request");
}

function withApiHeaders(response: Response): Response {
  for (const [name, value] of Object.entries(API_RESPONSE_HEADERS)) response.headers.set(name, value);
  return response;
}

/**
 * Serves a fetch Request with the app router (Next's route handler, the Node server, tests).
 * `config` defaults to the process's settings, read once; tests pass their own.
 */
export async function handleTrpcRequest(req: Request, options: { config?: ApiConfig } = {}): Promise<Response> {
  const url = new URL(req.url);
  const endpoint = trpcEndpoint(url.pathname);
  if (endpoint === null) return new Response("Not found", { status: 404 });
  const refusal = batchRefusal(url);
  if (refusal !== null) return withApiHeaders(new Response(refusal, { status: 400, headers: { "content-type": "application/json" } }));
  const response = await fetchRequestHandler({
    endpoint,
    req,
    router: appRouter,
    createContext: (context) => createContext(context, options.config),
    onError: logTrpcError,
  });
  return withApiHeaders(response);
}
