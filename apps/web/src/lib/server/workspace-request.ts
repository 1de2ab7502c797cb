import "server-only";

import { headers } from "next/headers";
import { notFound } from "next/navigation";
import { cache } from "react";
import { ROUTE_HEADERS } from "@/lib/routing";
import { apiUrlFor, trustedBasePath, workspaceHref } from "@/lib/workspace-href";

export interface WorkspaceRequest {
  /** The route segment: the slug, or the host of a custom domain. */
  segment: string;
  /** "" or "/tenant/<slug>": prefix every link with it (`workspaceHref`). */
  basePath: string;
  apiUrl: string;
  /** The URL the user sees (path + query). */
  visiblePath: string | null;
}

/**
 * What the proxy told the server about this workspace request. `/workspace/<segment>` is only
 * reachable through the proxy's rewrite, which sets the same segment in a header; a mismatch
 * means someone found a way around it, and gets the 404 page.
 */
export const readWorkspaceRequest = cache(async (segment: string): Promise<WorkspaceRequest> => {
  const incoming = await headers();
  if (incoming.get(ROUTE_HEADERS.tenant) !== segment) notFound();
  const basePath = trustedBasePath(segment, incoming.get(ROUTE_HEADERS.basePath));
  return { segment, basePath, apiUrl: apiUrlFor(basePath), visiblePath: incoming.get(ROUTE_HEADERS.visiblePath) };
});

/** A workspace link for server components (redirects, links rendered on the server). */
export async function serverWorkspaceHref(segment: string, path: string): Promise<string> {
  return workspaceHref((await readWorkspaceRequest(segment)).basePath, path);
}
