import { defaultShouldDehydrateQuery, QueryClient } from "@tanstack/react-query";
import superjson from "superjson";
import { shouldRetryQuery } from "@/lib/trpc-errors";

/**
 * One QueryClient factory for the server (one per request) and the browser (one per workspace).
 * Data crosses the server → browser boundary with superjson, like the API's own transformer,
 * so Dates stay Dates after hydration.
 */
export function makeQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // Hydrated data is fresh for 30 s: the browser does not refetch what the server just sent.
        staleTime: 30_000,
        // No retries for 4xx (docs/architecture.md: Stack facts): a 404 workspace or an expired session must show at once.
        retry: shouldRetryQuery,
      },
      dehydrate: {
        serializeData: superjson.serialize,
        // Pending queries are sent too: a `void prefetch(…)` streams its result to the browser.
        shouldDehydrateQuery: (query) => defaultShouldDehydrateQuery(query) || query.state.status === "pending",
        // Next.js redacts server errors itself (with digests) and needs its own errors intact.
        shouldRedactErrors: () => false,
      },
      hydrate: { deserializeData: superjson.deserialize },
    },
  });
}
