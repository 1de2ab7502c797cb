import type { QueryClient } from "@tanstack/react-query";
import type { useTRPC } from "@/trpc/client";

/**
 * Every tenant id, oldest first, read page by page from admin.migrationStatus (the control plane:
 * no tenant file is opened), for the runs that go through every tenant in chunks.
 */
export async function fetchAllTenantIds(queryClient: QueryClient, trpc: ReturnType<typeof useTRPC>): Promise<string[]> {
  const ids: string[] = [];
  for (let page = 1; ; page += 1) {
    const result = await queryClient.fetchQuery({ ...trpc.admin.migrationStatus.queryOptions({ page, pageSize: 100 }), staleTime: 0 });
    ids.push(...result.tenants.map((t) => t.tenantId));
    if (page >= result.totalPages) return ids;
  }
}
