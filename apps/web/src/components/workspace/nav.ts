import type { TenantFeature } from "@sigil/validators";
import type { IconName } from "@/components/icons";

export interface WorkspaceSection {
  /** The path inside the workspace (give it to `workspaceHref`). */
  path: string;
  label: string;
  icon: IconName;
  /** Shown to admins only (the API refuses the others anyway). */
  adminOnly?: boolean;
  /** Shown only while the workspace has this feature. */
  feature?: TenantFeature;
}

/** The workspace's sections, in sidebar order. */
export const WORKSPACE_SECTIONS: WorkspaceSection[] = [
  { path: "/prompts", label: "Prompts", icon: "prompts" },
  { path: "/executions", label: "Executions", icon: "executions" },
  { path: "/datasets", label: "Datasets", icon: "datasets" },
  { path: "/files", label: "Files", icon: "files", feature: "files" },
  { path: "/deployments", label: "Deployments", icon: "deployments", feature: "deployments" },
  { path: "/usage", label: "Usage", icon: "usage" },
  { path: "/settings", label: "Settings", icon: "settings" },
  { path: "/users", label: "Users", icon: "users", adminOnly: true },
  { path: "/api-keys", label: "API keys", icon: "keys", adminOnly: true },
  { path: "/audit", label: "Audit log", icon: "audit", adminOnly: true },
];
