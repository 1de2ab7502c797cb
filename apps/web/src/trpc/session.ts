import "server-only";

import { notFound } from "next/navigation";
import { cache } from "react";
import { tenantStatusOf, trpcErrorCode, type UnavailableStatus } from "@/lib/trpc-errors";
import { getQueryClient, trpc } from "./server";
import type { RouterOutputs } from "./types";

export type Me = RouterOutputs["auth"]["me"];
export type SystemAdmin = RouterOutputs["admin"]["me"]["admin"];

export type WorkspaceSession = { status: "signed-in"; me: Me } | { status: "signed-out" } | { status: "unavailable"; tenantStatus: UnavailableStatus };

/**
 * Who is looking at this workspace, resolved once per request through `auth.me` (which also
 * resolves the tenant). Unknown workspace or invalid identification → the 404 page; suspended
 * or inactive → "unavailable"; no or foreign session → "signed-out". `auth.me` lands in the
 * request's QueryClient, so `<HydrateClient>` hands it to the browser (`useMe()`).
 */
export const loadWorkspaceSession = cache(async (): Promise<WorkspaceSession> => {
  try {
    const me = await getQueryClient().fetchQuery(trpc.auth.me.queryOptions());
    return { status: "signed-in", me };
  } catch (error) {
    const tenantStatus = tenantStatusOf(error);
    if (tenantStatus) return { status: "unavailable", tenantStatus };
    switch (trpcErrorCode(error)) {
      case "UNAUTHORIZED":
      case "FORBIDDEN": // a session of another workspace: sign in here
        return { status: "signed-out" };
      case "NOT_FOUND":
      case "BAD_REQUEST":
        notFound();
    }
    throw error;
  }
});

export type AdminSession = { status: "signed-in"; admin: SystemAdmin } | { status: "signed-out" };

/** The system administrator of this admin-host request, once per request. */
export const loadAdminSession = cache(async (): Promise<AdminSession> => {
  try {
    const { admin } = await getQueryClient().fetchQuery(trpc.admin.me.queryOptions());
    return { status: "signed-in", admin };
  } catch (error) {
    const code = trpcErrorCode(error);
    if (code === "UNAUTHORIZED" || code === "FORBIDDEN") return { status: "signed-out" };
    throw error;
  }
});
