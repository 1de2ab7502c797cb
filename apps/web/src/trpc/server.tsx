import "server-only";

import type { AppRouter, InnerContext } from "@sigil/api";
import { dehydrate, HydrationBoundary, type FetchQueryOptions, type QueryKey } from "@tanstack/react-query";
import { createTRPCOptionsProxy } from "@trpc/tanstack-react-query";
import { headers } from "next/headers";
import { cache, type ReactNode } from "react";
import { isDomainSegment, ROUTE_HEADERS } from "@/lib/routing";
import { hostApi } from "@/lib/server/host-api";
import { makeQueryClient } from "./query-client";

/** One QueryClient per request (React's `cache` is scoped to a server render). */
export const getQueryClient = cache(makeQueryClient);

/**
 * The API context of a server render, built from the page request itself: the browser's Host
 * and cookies, plus the workspace the proxy routed to as `x-tenant-id`, so the server resolves
 * the same tenant (and the same session) as the browser's own calls to `/api/trpc`. For a custom
 * domain the Host alone names the tenant. Authorization headers are ignored: pages are for people.
 */
const createServerContext = cache(async (): Promise<InnerContext> => {
  const incoming = await headers();
  const hostHeader = incoming.get("host") ?? "localhost";
  const segment = incoming.get(ROUTE_HEADERS.tenant);
  const basePath = incoming.get(ROUTE_HEADERS.basePath) ?? "";
  const { createInnerContext, hostName, parseCookies } = hostApi();
  return createInnerContext({
    request: {
      method: "GET",
      host: hostName(hostHeader),
      hostHeader: hostHeader.toLowerCase(),
      // In path-prefix mode the API sees the prefix too, as it does on the browser's calls.
      path: basePath === "" ? "/" : `${basePath}/`,
      tenantHeader: segment && !isDomainSegment(segment) ? segment : null,
      cookies: parseCookies(incoming.get("cookie")),
      origin: null,
      apiKey: null,
      ip: incoming.get("x-forwarded-for")?.split(",")[0]?.trim() ?? null,
      userAgent: incoming.get("user-agent"),
      secure: incoming.get("x-forwarded-proto") === "https",
    },
  });
});

function createOptionsProxy() {
  return createTRPCOptionsProxy<AppRouter>({ router: hostApi().appRouter, ctx: createServerContext, queryClient: getQueryClient });
}
let optionsProxy: ReturnType<typeof createOptionsProxy> | undefined;

/**
 * Query options for server components: `trpc.prompts.list.queryOptions({ … })`. Calls the
 * router in-process (no HTTP) with the request's context. Made on first use: the router is the
 * one server.ts provides (src/lib/server/host-api.ts), there only while requests are served.
 */
export const trpc = new Proxy({} as ReturnType<typeof createOptionsProxy>, {
  get: (_target, key): unknown => Reflect.get((optionsProxy ??= createOptionsProxy()), key),
});

/**
 * Starts a query on the server so its result is in the page's HTML and the browser's cache.
 * `await prefetch(…)` waits for it (errors are not thrown: the browser refetches and shows them);
 * `void prefetch(…)` streams it. Read it in a client component with `useQuery` /
 * `useSuspenseQuery(trpc.….queryOptions(sameInput))` inside `<HydrateClient>`.
 */
export function prefetch<TQueryFnData, TError, TData, TQueryKey extends QueryKey>(
  options: FetchQueryOptions<TQueryFnData, TError, TData, TQueryKey>,
): Promise<void> {
  return getQueryClient().prefetchQuery(options);
}

/** Sends the queries prefetched so far in this request to the browser's QueryClient. */
export function HydrateClient({ children }: { children: ReactNode }) {
  return <HydrationBoundary state={dehydrate(getQueryClient())}>{children}</HydrationBoundary>;
}
