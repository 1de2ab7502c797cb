"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "@/trpc/client";

/** After a change to one tenant: its detail, the list and the overview's counts are read again. */
export function useInvalidateTenant(id: string) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.tenants.getById.queryKey({ id }) }),
      queryClient.invalidateQueries({ queryKey: trpc.tenants.list.queryKey() }),
      queryClient.invalidateQueries({ queryKey: trpc.admin.stats.queryKey() }),
    ]);
}
