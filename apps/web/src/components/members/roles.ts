import type { RouterOutputs } from "@/trpc/types";

export type Member = RouterOutputs["users"]["list"][number];
export type Role = Member["role"];

export const ROLES: { value: Role; label: string; description: string }[] = [
  { value: "admin", label: "Admin", description: "Everything, including users, API keys, settings and the audit log." },
  { value: "user", label: "Member", description: "Writes prompts, runs executions and deployments, uploads files." },
  { value: "viewer", label: "Viewer", description: "Reads prompts, executions, files and deployments; changes nothing." },
];

export const ROLE_LABELS: Record<Role, string> = { admin: "Admin", user: "Member", viewer: "Viewer" };
const RANK: Record<Role, number> = { viewer: 0, user: 1, admin: 2 };

/** A change to a role with fewer rights (asks for confirmation). */
export function isDemotion(from: Role, to: Role): boolean {
  return RANK[to] < RANK[from];
}
