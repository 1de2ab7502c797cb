import type { ListTenantsInput } from "@sigil/validators";

/** The overview's charts: the 12 largest tenants by each measure, sorted by the server (never every tenant). */
const top = (sort: ListTenantsInput["sort"]): ListTenantsInput => ({ page: 1, pageSize: 12, sort, direction: "desc" });

export const OVERVIEW_TOP = {
  executions: top("executions"),
  storage: top("storage"),
  users: top("users"),
} as const;
