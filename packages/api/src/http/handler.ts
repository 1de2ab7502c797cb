import { fetchRequestHandler } from "@trpc/server/adapters/fetch";
import { createContext } from "../context.ts";
import { appRouter } from "../root.ts";

/** tRPC lives at `/api/trpc`, also under a tenant's path prefix: `/tenant/<slug>/api/trpc`. */
export function trpcEndpoint(pathname: string): string | null {
  const match = /^(\/tenant\/[^/]+)?\/api\/trpc(?:\/|$)/.exec(pathname);
  return match ? `${match[1] ?? ""}/api/trpc` : null;
}

/** Serves a fetch Request with the app router (Next's route handler, the Node server, tests). */
export async function handleTrpcRequest(req: Request): Promise<Response> {
  const endpoint = trpcEndpoint(new URL(req.url).pathname);
  if (endpoint === null) return new Response("Not found", { status: 404 });
  return fetchRequestHandler({
    endpoint,
    req,
    router: appRouter,
    createContext,
    onError({ error, path }) {
      if (error.code === "INTERNAL_SERVER_ERROR") console.error(`tRPC ${path ?? "?"} failed:`, error.cause ?? error);
    },
  });
}
