import type { ReactNode } from "react";
import { WorkspaceProvider } from "@/components/workspace/workspace-context";
import { WorkspaceUnavailable } from "@/components/workspace/workspace-unavailable";
import { readWorkspaceRequest } from "@/lib/server/workspace-request";
import { TRPCReactProvider } from "@/trpc/client";
import { HydrateClient } from "@/trpc/server";
import { loadWorkspaceSession } from "@/trpc/session";

/**
 * Every workspace page (reached through the proxy's rewrite to /workspace/<segment>/…). Resolves
 * the tenant and the user once, server-side, through `auth.me`: an unknown workspace renders the
 * 404 page (inside loadWorkspaceSession), a suspended one the "suspended" page; otherwise the
 * pages get the tRPC provider for this workspace's endpoint and the workspace context.
 */
export default async function WorkspaceLayout({ children, params }: { children: ReactNode; params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const request = await readWorkspaceRequest(slug);
  const session = await loadWorkspaceSession();
  if (session.status === "unavailable") return <WorkspaceUnavailable name={slug} status={session.tenantStatus} />;
  const me = session.status === "signed-in" ? session.me : null;
  return (
    <TRPCReactProvider apiUrl={request.apiUrl}>
      <WorkspaceProvider value={{ segment: slug, basePath: request.basePath, me }}>
        <HydrateClient>{children}</HydrateClient>
      </WorkspaceProvider>
    </TRPCReactProvider>
  );
}
