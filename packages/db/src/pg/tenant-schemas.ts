import { sql } from "drizzle-orm";
import { ProvisioningError } from "../errors.ts";
import type { MigrationFile } from "../migrations/migration-files.ts";
import { quoteName, tenantSchemaName } from "./names.ts";
import type { SystemPool } from "./pool.ts";
import { tenantSchemaGrants, type PgRoles } from "./row-security.ts";
import { applyTenantSchemaMigrations, driverCode, historyTable, lockTenantSchema, pgTenantMigrations, tenantSchemaExists } from "./schema-migrations.ts";
import { TENANT_LOCK_CLASS, withSystemTransaction, type PgTransaction } from "./transactions.ts";

/** PostgreSQL's duplicate_schema: another transaction created the schema first. */
const DUPLICATE_SCHEMA = "42P06";

export interface ProvisionTenantSchemaOptions {
  /** The tenant migrations to apply (default: the committed ones, migrations/pg/tenant). */
  readonly migrations?: readonly MigrationFile[];
}

/**
 * Provisions tenant `tenantId`'s schema `t_<32 hex>` (the PostgreSQL twin of
 * HybridDatabaseManager.provisionTenantDatabase) in ONE transaction of the system role: CREATE
 * SCHEMA, every tenant migration with the schema's own history table, the app role's grants
 * (row-security.ts), then `register(tx)`: the registry insert, or an import's rows, in the same
 * transaction. Whatever fails, nothing is left behind: no schema, no history, no grant, no
 * registry row. `register`'s error is rethrown as it is (a taken slug stays a ConflictError).
 *
 * In `register`, `search_path` names the new schema alone, as in a tenant transaction: tenant
 * tables are reached unqualified, shared ones are schema-qualified (schema/pg/shared).
 *
 * A schema that already exists is refused with ProvisioningError, also when another provisioner
 * of the same tenant commits first (the schema's advisory lock orders them).
 */
export async function provisionTenantSchema<T>(
  pool: SystemPool,
  roles: PgRoles,
  tenantId: string,
  register: (tx: PgTransaction) => Promise<T>,
  options: ProvisionTenantSchemaOptions = {},
): Promise<T> {
  const schema = tenantSchemaName(tenantId);
  const migrations = options.migrations ?? pgTenantMigrations();
  return withSystemTransaction(pool, async (tx) => {
    await lockTenantSchema(tx, schema);
    if (await tenantSchemaExists(tx, schema)) throw alreadyExists(tenantId, schema);
    await createSchema(tx, tenantId, schema);
    await applyTenantSchemaMigrations(tx, schema, migrations);
    for (const statement of tenantSchemaGrants(roles, schema)) await tx.execute(sql.raw(statement));
    // The app role reads the version (a tenant behind the code is refused or migrated on open)
    // but cannot write it: a request must never be able to make a schema look migrated.
    await tx.execute(sql.raw(`REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON ${historyTable(schema)} FROM ${quoteName("role", roles.app)}`));
    return register(tx);
  });
}

async function createSchema(tx: PgTransaction, tenantId: string, schema: string): Promise<void> {
  try {
    await tx.execute(sql.raw(`CREATE SCHEMA ${quoteName("schema", schema)}`));
  } catch (error) {
    // Made outside Sigil's lock (by hand, or by an older process) between the check and here.
    if (driverCode(error) === DUPLICATE_SCHEMA) throw alreadyExists(tenantId, schema);
    throw error;
  }
}

function alreadyExists(tenantId: string, schema: string): ProvisioningError {
  return new ProvisioningError(
    `The schema ${schema} of tenant ${tenantId} already exists; a tenant is provisioned once. Delete the tenant (or drop the schema) before provisioning it again.`,
  );
}

export interface DeleteTenantSchemaOptions {
  /** Runs first, in the same transaction: purge the tenant's shared rows and registry row. */
  readonly unregister?: (tx: PgTransaction) => Promise<void>;
}

/**
 * Drops tenant `tenantId`'s schema with everything in it (DROP SCHEMA … CASCADE: tables,
 * functions, history, default privileges) in one transaction, after `unregister(tx)` if given,
 * so the registry row and the schema go together or not at all. It waits for the schema's
 * advisory lock (a migration in flight finishes first) and for the table locks of transactions
 * still using the tenant's tables.
 *
 * A schema that does not exist is not an error: the result says `dropped: false`, and
 * `unregister` still runs. A deletion interrupted after the schema went (or a retried one)
 * then completes instead of failing forever; the SQLite twin (removeTenantDatabase) likewise
 * ignores a file that is already gone.
 */
export async function deleteTenantSchema(pool: SystemPool, tenantId: string, options: DeleteTenantSchemaOptions = {}): Promise<{ dropped: boolean }> {
  const schema = tenantSchemaName(tenantId);
  return withSystemTransaction(pool, async (tx) => {
    await lockTenantSchema(tx, schema);
    await options.unregister?.(tx);
    if (!(await tenantSchemaExists(tx, schema))) return { dropped: false };
    await tx.execute(sql.raw(`DROP SCHEMA ${quoteName("schema", schema)} CASCADE`));
    return { dropped: true };
  });
}

/**
 * Runs `fn` in one transaction of the system role on tenant `tenantId`'s schema (`search_path`
 * names it), holding the tenant's write lock (the one every tenant write transaction takes first:
 * transactions.ts) and the schema's migration lock. `dropSchema` drops the schema in that same
 * transaction; the locks are held until it commits.
 */
export async function withLockedTenantSchema<T>(
  pool: SystemPool,
  tenantId: string,
  fn: (tx: PgTransaction, dropSchema: () => Promise<void>) => Promise<T>,
): Promise<T> {
  const schema = tenantSchemaName(tenantId);
  return withSystemTransaction(pool, async (tx) => {
    await lockTenantSchema(tx, schema);
    await tx.execute(sql`SELECT pg_advisory_xact_lock(${sql.raw(String(TENANT_LOCK_CLASS))}, hashtext(${tenantId}))`);
    if (!(await tenantSchemaExists(tx, schema))) {
      throw new ProvisioningError(`The schema ${schema} of tenant ${tenantId} does not exist.`);
    }
    await tx.execute(sql`SELECT set_config('search_path', ${schema}, true)`);
    return fn(tx, async () => {
      await tx.execute(sql.raw(`DROP SCHEMA ${quoteName("schema", schema)} CASCADE`));
    });
  });
}
