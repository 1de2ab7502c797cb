"use client";

import type { AppRouter } from "@sigil/api";
import { isServer, QueryClientProvider, type QueryClient } from "@tanstack/react-query";
import { MAX_BATCH_SIZE } from "@sigil/validators";
import { createTRPCClient, httpBatchLink, httpLink, splitLink } from "@trpc/client";
import { createTRPCContext } from "@trpc/tanstack-react-query";
import { useMemo, type ReactNode } from "react";
import superjson from "superjson";
import { makeQueryClient } from "./query-client";

/** `useTRPC()` gives `trpc.prompts.list.queryOptions(…)`, `trpc.prompts.create.mutationOptions()`, keys for invalidation. */
export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<AppRouter>();

/**
 * One browser QueryClient per API endpoint: in path-prefix mode a client-side navigation from
 * `/tenant/acme/` to `/tenant/globex/` must not show acme's cached data (same query keys).
 */
const browserQueryClients = new Map<string, QueryClient>();

function getQueryClient(apiUrl: string): QueryClient {
  // On the server (SSR of client components) always a new one: never share data between requests.
  if (isServer) return makeQueryClient();
  let client = browserQueryClients.get(apiUrl);
  if (!client) {
    client = makeQueryClient();
    browserQueryClients.set(apiUrl, client);
  }
  return client;
}

/**
 * Mounted by the workspace and admin layouts. `apiUrl` is `/api/trpc`, or
 * `/tenant/<slug>/api/trpc` in path-prefix mode; the browser's own Host header and cookies name
 * the tenant and the user.
 */
export function TRPCReactProvider({ apiUrl, children }: { apiUrl: string; children: ReactNode }) {
  const queryClient = getQueryClient(apiUrl);
  const trpcClient = useMemo(
    () =>
      createTRPCClient<AppRouter>({
        links: [
          splitLink({
            // An upload is sized for one file (the API's upload body limit): never batched with another.
            condition: (op) => op.path === "files.upload",
            true: httpLink({ url: apiUrl, transformer: superjson }),
            // The API refuses batches longer than MAX_BATCH_SIZE; longer ones are split here.
            false: httpBatchLink({ url: apiUrl, transformer: superjson, maxItems: MAX_BATCH_SIZE }),
          }),
        ],
      }),
    [apiUrl],
  );
  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        {children}
      </TRPCProvider>
    </QueryClientProvider>
  );
}
