/**
 * The PostgreSQL twins of ../shared and ../tenant (docs/architecture.md, "PostgreSQL schemas").
 * Nothing runs on them yet; test/engine-contract.test.ts keeps them equal to the SQLite ones.
 */
import * as pgSharedSchema from "./shared/index.ts";
import * as pgTenantSchema from "./tenant/index.ts";

export { pgSharedSchema, pgTenantSchema };
