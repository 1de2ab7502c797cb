import * as sharedTables from "../schema/shared/index.ts";
import * as tenantTables from "../schema/tenant/index.ts";
import type { Tables } from "./session.ts";

/** The SQLite tables, as models see them (session.ts Tables). */
export const sqliteTables: Tables = { ...sharedTables, ...tenantTables };
