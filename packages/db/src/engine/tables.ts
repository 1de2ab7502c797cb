import * as pgSharedTables from "../schema/pg/shared/index.ts";
import * as pgTenantTables from "../schema/pg/tenant/index.ts";
import * as sharedTables from "../schema/shared/index.ts";
import * as tenantTables from "../schema/tenant/index.ts";
import type { Tables } from "./session.ts";

/** The SQLite tables, as models see them (session.ts Tables). */
export const sqliteTables: Tables = { ...sharedTables, ...tenantTables };

/**
 * The PostgreSQL twins under the same names (test/engine-contract.test.ts keeps the two sets equal),
 * typed as the SQLite ones: models build queries from `session.t` and never see the difference.
 */
export const pgTables = { ...pgSharedTables, ...pgTenantTables } as unknown as Tables;
