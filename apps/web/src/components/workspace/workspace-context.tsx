"use client";

import type { TenantFeature } from "@sigil/validators";
import { createContext, useCallback, useContext, type ReactNode } from "react";
import { workspaceHref } from "@/lib/workspace-href";
import type { RouterOutputs } from "@/trpc/types";

export type Me = RouterOutputs["auth"]["me"];

export interface WorkspaceInfo {
  /** The route segment: the slug, or a custom domain's host. */
  segment: string;
  /** "" on the workspace's own host, "/tenant/<slug>" in path-prefix mode. */
  basePath: string;
  /** The signed-in user and tenant, as of this page load (null on the login and invitation pages). */
  me: Me | null;
}

const WorkspaceContext = createContext<WorkspaceInfo | null>(null);

/** Set by the workspace layout from the request (the proxy's base path, `auth.me`). */
export function WorkspaceProvider({ value, children }: { value: WorkspaceInfo; children: ReactNode }) {
  return <WorkspaceContext.Provider value={value}>{children}</WorkspaceContext.Provider>;
}

export function useWorkspace(): WorkspaceInfo {
  const value = useContext(WorkspaceContext);
  if (!value) throw new Error("useWorkspace must be used inside a workspace page.");
  return value;
}

/** `const href = useWorkspaceHref(); <Link href={href("/prompts")}>` — right in both URL modes. */
export function useWorkspaceHref(): (path: string) => string {
  const { basePath } = useWorkspace();
  return useCallback((path: string) => workspaceHref(basePath, path), [basePath]);
}

/** The signed-in user (role, name) and tenant; only inside the signed-in area of a workspace. */
export function useMe(): Me {
  const { me } = useWorkspace();
  if (!me) throw new Error("useMe is only available to signed-in pages of a workspace.");
  return me;
}

/** Whether the workspace has `feature` (its sections and controls are hidden otherwise). */
export function useFeature(feature: TenantFeature): boolean {
  return useMe().tenant.features.includes(feature);
}
