import type pg from "pg";
import { MigrationFailedError } from "../errors.ts";
import { SHARED_SCHEMA, assertPlainName, isTenantSchemaName, quoteName } from "./names.ts";

/**
 * Roles and row-level security (docs/architecture.md: Row-level security). Every statement here is
 * idempotent, so the installer applies it on each migration run and it also repairs drift (a
 * policy edited by hand is dropped and made again). Names are validated plain names (names.ts);
 * PostgreSQL takes no parameters in DDL.
 */
export interface PgRoles {
  /** Every request's connections: LOGIN, NOSUPERUSER, NOBYPASSRLS, not a member of `system`. */
  readonly app: string;
  /** Registry, provisioning and migrations: owns the schemas and tables. */
  readonly system: string;
}

export const DEFAULT_ROLES: PgRoles = { app: "sigil_app", system: "sigil_system" };

/** The one tenant test of every shared table. `nullif`: once a session has run a tenant
 * transaction, the unset setting reads as '' rather than NULL; neither may match a row. */
const TENANT_ROWS = "tenant_id = nullif(current_setting('sigil.tenant_id', true), '')";
const TABLE_PRIVILEGES = "SELECT, INSERT, UPDATE, DELETE";

/**
 * Creates the two roles and the shared schema, or checks existing roles. Attributes are set only
 * when a role is created: PostgreSQL 15 lets only a superuser name BYPASSRLS in ALTER ROLE, so an
 * existing role with SUPERUSER or BYPASSRLS, or an app role that is a member of the system role
 * (it could `SET ROLE` to it), is refused with an error instead. Run by the installer (a
 * superuser, or a role with CREATEROLE, which is made a member of `system`), one process at a time.
 */
export async function applyRoles(client: pg.ClientBase, roles: PgRoles): Promise<void> {
  const app = quoteName("role", roles.app);
  const system = quoteName("role", roles.system);
  const shared = quoteName("schema", SHARED_SCHEMA);
  await inTransaction(client, [
    createRoleIfMissing(roles.system),
    createRoleIfMissing(roles.app),
    refuseUnsafeRoles(roles),
    // An installer that is not a superuser acts for the system role below (its schema, its default
    // privileges) only as a member of it; CREATEROLE may grant that membership.
    `DO $$ BEGIN
      IF NOT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AND NOT pg_has_role(current_user, '${roles.system}', 'MEMBER') THEN
        EXECUTE format('GRANT %I TO %I', '${roles.system}', current_user);
      END IF;
    END $$`,
    `ALTER ROLE ${app} LOGIN`,
    `ALTER ROLE ${system} LOGIN`,
    // Outside a tenant transaction no unqualified name resolves: a query run on the pool without
    // withTenantTransaction finds no tenant table instead of some default one.
    `ALTER ROLE ${app} SET search_path = ''`,
    `DO $$ BEGIN EXECUTE format('GRANT CREATE ON DATABASE %I TO ${system}', current_database()); END $$`,
    `CREATE SCHEMA IF NOT EXISTS ${shared} AUTHORIZATION ${system}`,
    `ALTER SCHEMA ${shared} OWNER TO ${system}`,
    `GRANT USAGE ON SCHEMA ${shared} TO ${app}`,
  ]);
}

/**
 * Puts the given tables of the shared schema (each with `tenant_id text not null`) under row-level
 * security: ENABLE and FORCE (FORCE binds the owner too), a policy for everyone that admits only
 * the rows of `sigil.tenant_id`, and one that admits every row to the system role. The app role
 * gets SELECT, INSERT, UPDATE and DELETE on exactly these tables.
 *
 * The system role sees all rows through its own policy rather than BYPASSRLS: only a superuser can
 * grant BYPASSRLS (managed PostgreSQL services do not give one out), it would cover every table
 * present and future, and a table missing from this list stays closed to the system role as well
 * instead of silently open. (pg_dump of these tables as the system role needs
 * `--enable-row-security`.)
 */
export async function applyRowSecurity(client: pg.ClientBase, roles: PgRoles, tables: readonly string[]): Promise<void> {
  const app = quoteName("role", roles.app);
  const system = quoteName("role", roles.system);
  const statements = tables.flatMap((table) => {
    const qualified = `${quoteName("schema", SHARED_SCHEMA)}.${quoteName("table", table)}`;
    return [
      `ALTER TABLE ${qualified} ENABLE ROW LEVEL SECURITY`,
      `ALTER TABLE ${qualified} FORCE ROW LEVEL SECURITY`,
      `DROP POLICY IF EXISTS sigil_tenant_rows ON ${qualified}`,
      `CREATE POLICY sigil_tenant_rows ON ${qualified} AS PERMISSIVE FOR ALL TO PUBLIC USING (${TENANT_ROWS}) WITH CHECK (${TENANT_ROWS})`,
      `DROP POLICY IF EXISTS sigil_system_rows ON ${qualified}`,
      `CREATE POLICY sigil_system_rows ON ${qualified} AS PERMISSIVE FOR ALL TO ${system} USING (true) WITH CHECK (true)`,
      `GRANT ${TABLE_PRIVILEGES} ON ${qualified} TO ${app}`,
    ];
  });
  await inTransaction(client, statements);
}

/**
 * Opens a tenant schema (`t_<32 hex>`, owned by the system role) to the app role: its tables now
 * and those the system role creates in it later. The schema is chosen per transaction by
 * `search_path` (transactions.ts); these tables have no `tenant_id` and no policies.
 */
export async function grantTenantSchema(client: pg.ClientBase, roles: PgRoles, schema: string): Promise<void> {
  await inTransaction(client, tenantSchemaGrants(roles, schema));
}

/**
 * The statements of grantTenantSchema, for a caller that runs them inside a transaction it already
 * holds (provisioning, src/pg/tenant-schemas.ts: a BEGIN of their own would commit it early).
 */
export function tenantSchemaGrants(roles: PgRoles, schema: string): string[] {
  if (!isTenantSchemaName(schema)) throw new Error(`${JSON.stringify(schema)} is not a tenant schema name (t_ followed by 32 hex digits).`);
  const app = quoteName("role", roles.app);
  const system = quoteName("role", roles.system);
  const quoted = quoteName("schema", schema);
  return [
    `GRANT USAGE ON SCHEMA ${quoted} TO ${app}`,
    `GRANT ${TABLE_PRIVILEGES} ON ALL TABLES IN SCHEMA ${quoted} TO ${app}`,
    `GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA ${quoted} TO ${app}`,
    `ALTER DEFAULT PRIVILEGES FOR ROLE ${system} IN SCHEMA ${quoted} GRANT ${TABLE_PRIVILEGES} ON TABLES TO ${app}`,
    `ALTER DEFAULT PRIVILEGES FOR ROLE ${system} IN SCHEMA ${quoted} GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO ${app}`,
  ];
}

/**
 * The installer (the DATABASE_URL role) creates and alters the app and system roles: without
 * SUPERUSER or CREATEROLE PostgreSQL would stop it at its first CREATE ROLE with a bare
 * "permission denied", which names neither the setting nor the remedy.
 */
export async function assertInstallerCanCreateRoles(client: pg.ClientBase): Promise<void> {
  const { rows } = await client.query<{ name: string; allowed: boolean }>(
    "SELECT rolname AS name, rolsuper OR rolcreaterole AS allowed FROM pg_roles WHERE rolname = current_user",
  );
  const installer = rows[0];
  if (installer?.allowed) return;
  throw new MigrationFailedError(
    `The DATABASE_URL role ${JSON.stringify(installer?.name ?? "")} may not create roles: installing Sigil on PostgreSQL creates its two roles, so that role must be a superuser or have CREATEROLE (as a superuser: ALTER ROLE … CREATEROLE), or DATABASE_URL must name one that is.`,
  );
}

function createRoleIfMissing(role: string): string {
  assertPlainName("role", role);
  return `DO $$ BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${role}') THEN
      CREATE ROLE "${role}" LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE NOREPLICATION;
    END IF;
  END $$`;
}

function refuseUnsafeRoles({ app, system }: PgRoles): string {
  assertPlainName("role", app);
  assertPlainName("role", system);
  if (app === system) throw new Error(`The app and system roles must differ; both are "${app}".`);
  return `DO $$ BEGIN
    IF EXISTS (SELECT FROM pg_roles WHERE rolname IN ('${app}', '${system}') AND (rolsuper OR rolbypassrls)) THEN
      RAISE EXCEPTION 'The roles ${app} and ${system} must be NOSUPERUSER NOBYPASSRLS; a superuser must change them (ALTER ROLE … NOSUPERUSER NOBYPASSRLS).';
    END IF;
    IF pg_has_role('${app}', '${system}', 'MEMBER') THEN
      RAISE EXCEPTION 'The app role ${app} is a member of the system role ${system} and could SET ROLE to it; revoke the membership.';
    END IF;
  END $$`;
}

async function inTransaction(client: pg.ClientBase, statements: readonly string[]): Promise<void> {
  await client.query("BEGIN");
  try {
    for (const statement of statements) await client.query(statement);
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK");
    throw error;
  }
}
