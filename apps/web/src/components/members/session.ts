import "server-only";

import { loadWorkspaceSession } from "@/trpc/session";

/** Whether the signed-in user of this request is an admin of the workspace (server components). */
export async function isWorkspaceAdmin(): Promise<boolean> {
  const session = await loadWorkspaceSession();
  return session.status === "signed-in" && session.me.user.role === "admin";
}
