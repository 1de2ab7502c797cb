"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useEffect } from "react";
import { trpcErrorCode } from "@/lib/trpc-errors";
import { hardNavigate } from "@/lib/hard-navigate";

/**
 * Layouts check the session on a full page load only; client-side navigation keeps them. When a
 * query or mutation later answers UNAUTHORIZED (session expired, signed out elsewhere), this
 * reloads the page so the layout sends the user to the sign-in page.
 */
export function SessionWatcher({ signInHref }: { signInHref: string }) {
  const queryClient = useQueryClient();
  useEffect(() => {
    const onError = (error: unknown) => {
      if (trpcErrorCode(error) === "UNAUTHORIZED") hardNavigate(signInHref);
    };
    const stopQueries = queryClient.getQueryCache().subscribe((event) => {
      if (event.type === "updated" && event.action.type === "error") onError(event.action.error);
    });
    const stopMutations = queryClient.getMutationCache().subscribe((event) => {
      if (event.type === "updated" && event.action.type === "error") onError(event.action.error);
    });
    return () => {
      stopQueries();
      stopMutations();
    };
  }, [queryClient, signInHref]);
  return null;
}
