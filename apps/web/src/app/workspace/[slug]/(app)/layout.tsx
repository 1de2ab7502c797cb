import { redirect } from "next/navigation";
import type { ReactNode } from "react";
import { WorkspaceShell } from "@/components/workspace/workspace-shell";
import { readWorkspaceRequest } from "@/lib/server/workspace-request";
import { loginHref } from "@/lib/workspace-href";
import { loadWorkspaceSession } from "@/trpc/session";

/** The signed-in area: a visitor without a session goes to the sign-in page, and comes back after. */
export default async function SignedInLayout({ children, params }: { children: ReactNode; params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const request = await readWorkspaceRequest(slug);
  const session = await loadWorkspaceSession();
  // Next may render this segment alongside its parent; the parent shows the "suspended" page.
  if (session.status === "unavailable") return null;
  if (session.status === "signed-out") redirect(loginHref(request.basePath, request.visiblePath));
  return <WorkspaceShell>{children}</WorkspaceShell>;
}
