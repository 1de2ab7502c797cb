import pg from "pg";

/**
 * One pool per process and role (docs/architecture.md: PostgreSQL connections). The brands keep the
 * two apart in the types: tenant transactions run only on the app role's pool, whose row-level
 * security cannot be bypassed, and system-admin work only on the system role's.
 */
declare const appRole: unique symbol;
declare const systemRole: unique symbol;
export type AppPool = pg.Pool & { readonly [appRole]: true };
export type SystemPool = pg.Pool & { readonly [systemRole]: true };

export interface PgPoolOptions {
  /** `postgres://role@host:port/database`; the role decides which of the two pools this is. */
  readonly url: string;
  readonly maxConnections: number;
  /** Shown in `pg_stat_activity`, so an operator sees which process holds a connection. */
  readonly applicationName: string;
}

function openPool({ url, maxConnections, applicationName }: PgPoolOptions): pg.Pool {
  // A connection that cannot be had in 10 s fails the request instead of waiting forever: the pool
  // is exhausted (raise DATABASE_POOL_SIZE) or the server is unreachable.
  const pool = new pg.Pool({ connectionString: url, max: maxConnections, application_name: applicationName, connectionTimeoutMillis: 10_000 });
  // An idle connection the server closes emits "error" on the pool; without a listener that
  // would end the process. The pool drops the connection and opens a new one when needed.
  pool.on("error", (error) => console.error("An idle PostgreSQL connection failed and was dropped from the pool:", error.message));
  return pool;
}

/**
 * The pool for tenant work. Row-level security is the second line of defence only if the role
 * cannot skip it, so a superuser or BYPASSRLS role is refused here, before any request runs.
 */
export async function openAppPool(options: PgPoolOptions): Promise<AppPool> {
  const pool = openPool(options);
  try {
    await checkAppRole(pool);
  } catch (error) {
    await pool.end();
    throw error;
  }
  return pool as AppPool;
}

/** Refuses a pool whose role is a superuser or has BYPASSRLS (see openAppPool). */
export async function checkAppRole(pool: pg.Pool): Promise<void> {
  const { rows } = await pool.query<{ role: string; rolsuper: boolean; rolbypassrls: boolean }>(
    "SELECT current_user AS role, rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user",
  );
  const role = rows[0];
  if (!role) throw new Error("The PostgreSQL role of the app pool could not be read from pg_roles.");
  if (role.rolsuper || role.rolbypassrls) {
    throw new Error(
      `The app connects to PostgreSQL as "${role.role}", which ${role.rolsuper ? "is a superuser" : "has BYPASSRLS"} and would skip row-level security; connect as the app role made by applyRoles (NOSUPERUSER NOBYPASSRLS).`,
    );
  }
}

/** The pool for system-admin work (registry, provisioning, migrations), as the system role. */
export function openSystemPool(options: PgPoolOptions): SystemPool {
  return openPool(options) as SystemPool;
}
