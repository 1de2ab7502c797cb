"use client";

import { useQuery } from "@tanstack/react-query";
import { useCallback } from "react";
import { useMe } from "@/components/workspace/workspace-context";
import { useTRPC } from "@/trpc/client";

/**
 * Who made a version or an execution, from a user id: "You", or (for admins, who may list the
 * members) the member's name. Other roles cannot look members up, so they read "A teammate".
 * A deleted member keeps their name for everyone (`users.deletedAuthors`, kept when the user
 * was deleted), marked "(deleted)".
 */
export function useAuthorName(): (userId: string | null | undefined) => string {
  const trpc = useTRPC();
  const me = useMe();
  const isAdmin = me.user.role === "admin";
  const users = useQuery({ ...trpc.users.list.queryOptions({}), enabled: isAdmin, staleTime: 5 * 60_000 });
  const deleted = useQuery({ ...trpc.users.deletedAuthors.queryOptions(), staleTime: 5 * 60_000 });
  const data = users.data;
  const deletedData = deleted.data;
  return useCallback(
    (userId) => {
      if (!userId) return "Unknown";
      if (userId === me.user.id) return "You";
      const user = data?.find((candidate) => candidate.id === userId);
      if (user) return user.name.trim() !== "" ? user.name : user.email;
      const gone = deletedData?.find((candidate) => candidate.id === userId);
      if (gone) return `${gone.name} (deleted)`;
      return "A teammate";
    },
    [data, deletedData, me.user.id],
  );
}
