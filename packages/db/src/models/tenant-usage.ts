import { and, asc, count, desc, eq, inArray, isNull, lt, or, sql, type SQL } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import { caseInsensitive, countWhere, registrationOrder, rowLimit, sumOf } from "../engine/dialect.ts";
import type { Session, Store, Tables } from "../engine/session.ts";
import { HybridDatabaseManager } from "../hybrid-manager.ts";
import type { tenantUsage } from "../schema/shared/control-plane.ts";
import { TENANT_PLANS, TENANT_STATUSES, type TenantPlan, type TenantStatus } from "../schema/shared/tenants.ts";
import { utcPeriod } from "../usage-periods.ts";
import { containsText } from "./text-search.ts";
import type { TenantRow } from "./tenant.ts";

/**
 * Reads of the control plane (shared.sqlite's `tenants`, `tenant_usage` and `users`) for the
 * admin dashboard: every query here is SQL over shared.sqlite and never opens a tenant file
 * (docs/architecture.md, The control-plane mirror). The numbers are the mirror of each file's
 * trigger-kept totals; `pnpm db:repair` recomputes them from the files.
 */

export const TENANT_SORT_KEYS = [
  "name",
  "slug",
  "created",
  "status",
  "plan",
  "users",
  "storage",
  "executions",
  "prompts",
  "lastActivity",
  "database",
  "schema",
] as const;
export type TenantSortKey = (typeof TENANT_SORT_KEYS)[number];
export const MAX_TENANT_PAGE_SIZE = 100;

/** A tenant's schema as the control plane last recorded it; unknown: never recorded. */
export type ControlPlaneSchemaState = "up_to_date" | "behind" | "unknown";
export const CONTROL_PLANE_SCHEMA_STATES: readonly ControlPlaneSchemaState[] = ["up_to_date", "behind", "unknown"];

export interface TenantUsageSnapshot {
  /** Seats: active and invited users (the users quota's count). */
  users: number;
  storageBytes: number;
  fileCount: number;
  promptCount: number;
  /** Executions created this calendar month (UTC); 0 when the mirror holds an older month. */
  executionsThisMonth: number;
  lastActivityAt: Date | null;
  schema: { version: number | null; latest: number; state: ControlPlaneSchemaState };
  databaseBytes: number;
  databaseMeasuredAt: Date | null;
  /** When the mirror last changed. */
  updatedAt: Date | null;
}

export interface TenantListOptions {
  page?: number;
  pageSize?: number;
  sort?: TenantSortKey;
  direction?: "asc" | "desc";
  /** Part of the name, slug or custom domain, taken literally. */
  search?: string;
  status?: TenantStatus;
  plan?: TenantPlan;
}

export interface TenantListPage {
  tenants: { tenant: TenantRow; usage: TenantUsageSnapshot }[];
  total: number;
  page: number;
  pageSize: number;
  totalPages: number;
}

/** Seats of each tenant: active and invited users (a correlated count, so only for a page of tenants). */
function seats({ users, tenants }: Tables): SQL<number> {
  return sql<number>`(SELECT count(*) FROM ${users} WHERE ${users.tenantId} = ${tenants.id} AND ${users.status} IN ('active', 'pending'))`.mapWith(Number);
}

function executionsThisMonth({ tenantUsage }: Tables, period: string): SQL<number> {
  return sql<number>`CASE WHEN ${tenantUsage.executionsPeriod} = ${period} THEN ${tenantUsage.executionsInPeriod} ELSE 0 END`.mapWith(Number);
}

function sortColumn(s: Session, key: TenantSortKey, period: string): SQLiteColumn | SQL {
  const { tenants, tenantUsage } = s.t;
  switch (key) {
    case "name":
      return caseInsensitive(s, tenants.name);
    case "slug":
      return tenants.slug;
    case "created":
      return tenants.createdAt;
    case "status":
      return tenants.status;
    case "plan":
      return sql`CASE ${tenants.plan} WHEN 'free' THEN 0 WHEN 'pro' THEN 1 ELSE 2 END`;
    case "users":
      return seats(s.t);
    case "storage":
      return tenantUsage.storageBytes;
    case "executions":
      return executionsThisMonth(s.t, period);
    case "prompts":
      return tenantUsage.promptCount;
    case "lastActivity":
      return tenantUsage.lastActivityAt;
    case "database":
      return tenantUsage.databaseBytes;
    case "schema":
      return tenantUsage.schemaVersion;
  }
}

function listConditions({ tenants }: Tables, options: TenantListOptions): SQL | undefined {
  const conditions: SQL[] = [];
  if (options.status !== undefined) conditions.push(eq(tenants.status, options.status));
  if (options.plan !== undefined) conditions.push(eq(tenants.plan, options.plan));
  const search = options.search?.trim() ?? "";
  if (search !== "") {
    const match = or(containsText(tenants.name, search), containsText(tenants.slug, search), containsText(tenants.domain, search));
    if (match) conditions.push(match);
  }
  return conditions.length > 0 ? and(...conditions) : undefined;
}

function wholeNumber(name: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) throw new RangeError(`${name} must be a whole number from ${min} to ${max}; got ${value}.`);
  return value;
}

function schemaOf(version: number | null, latest: number): TenantUsageSnapshot["schema"] {
  return { version, latest, state: version === null ? "unknown" : version >= latest ? "up_to_date" : "behind" };
}

interface UsageColumns {
  seats: number;
  usage: typeof tenantUsage.$inferSelect | null;
  executions: number;
}

function toSnapshot(row: UsageColumns, latest: number): TenantUsageSnapshot {
  const usage = row.usage;
  return {
    users: row.seats,
    storageBytes: usage?.storageBytes ?? 0,
    fileCount: usage?.fileCount ?? 0,
    promptCount: usage?.promptCount ?? 0,
    executionsThisMonth: row.executions,
    lastActivityAt: usage?.lastActivityAt ?? null,
    schema: schemaOf(usage?.schemaVersion ?? null, latest),
    databaseBytes: usage?.databaseBytes ?? 0,
    databaseMeasuredAt: usage?.databaseMeasuredAt ?? null,
    updatedAt: usage?.updatedAt ?? null,
  };
}

function shared(): Store {
  return HybridDatabaseManager.getInstance().sharedStore();
}

function latestSchema(): number {
  return HybridDatabaseManager.getInstance().tenantMigrations().length;
}

/** One page of tenants with their usage, filtered, searched and sorted in SQL (ties broken by id). */
export async function listTenantsWithUsage(options: TenantListOptions = {}, now = new Date()): Promise<TenantListPage> {
  const page = wholeNumber("page", options.page ?? 1, 1, Number.MAX_SAFE_INTEGER);
  const pageSize = wholeNumber("pageSize", options.pageSize ?? 25, 1, MAX_TENANT_PAGE_SIZE);
  const period = utcPeriod(now);
  const order = options.direction === "desc" ? desc : asc;
  const latest = latestSchema();
  // One read session: the count and the page see the same snapshot.
  return shared().session("read", async (s) => {
    const { tenants, tenantUsage } = s.t;
    const where = listConditions(s.t, options);
    const column = sortColumn(s, options.sort ?? "name", period);
    const [counted] = await s.db.select({ count: count() }).from(tenants).where(where);
    const total = counted?.count ?? 0;
    // Two steps: the page's ids are chosen by sorting only the sort key (SQLite computes every
    // selected column before sorting, so the seat count would otherwise run for every tenant),
    // then the page's rows are read in full.
    const idRows = await s.db
      .select({ id: tenants.id })
      .from(tenants)
      .leftJoin(tenantUsage, eq(tenantUsage.tenantId, tenants.id))
      .where(where)
      // Nulls (never measured, no activity) last in either direction.
      .orderBy(sql`${column} IS NULL`, order(column), asc(tenants.id))
      .limit(rowLimit(pageSize))
      .offset((page - 1) * pageSize);
    const ids = idRows.map((row) => row.id);
    const rows =
      ids.length === 0
        ? []
        : await s.db
            .select({ tenant: tenants, usage: tenantUsage, seats: seats(s.t), executions: executionsThisMonth(s.t, period) })
            .from(tenants)
            .leftJoin(tenantUsage, eq(tenantUsage.tenantId, tenants.id))
            .where(inArray(tenants.id, ids));
    const byId = new Map(rows.map((row) => [row.tenant.id, row]));
    const ordered = ids.flatMap((id) => {
      const row = byId.get(id);
      return row ? [{ tenant: row.tenant, usage: toSnapshot(row, latest) }] : [];
    });
    return { tenants: ordered, total, page, pageSize, totalPages: Math.ceil(total / pageSize) };
  });
}

/** One tenant's usage from the mirror, or null for an unknown tenant. */
export async function tenantUsageOf(tenantId: string, now = new Date()): Promise<TenantUsageSnapshot | null> {
  const latest = latestSchema();
  return shared().session("read", async (s) => {
    const { tenants, tenantUsage } = s.t;
    const [row] = await s.db
      .select({ seats: seats(s.t), usage: tenantUsage, executions: executionsThisMonth(s.t, utcPeriod(now)) })
      .from(tenants)
      .leftJoin(tenantUsage, eq(tenantUsage.tenantId, tenants.id))
      .where(eq(tenants.id, tenantId))
      .limit(rowLimit(1));
    return row ? toSnapshot(row, latest) : null;
  });
}

export interface InstallationStats {
  tenants: { total: number; byStatus: Record<TenantStatus, number>; byPlan: Record<TenantPlan, number> };
  users: { total: number; seats: number };
  executionsThisMonth: number;
  storageBytes: number;
  databaseBytes: number;
  prompts: number;
  files: number;
  /** Tenants whose file is behind the code's schema or whose version was never recorded. */
  schemaNotCurrent: number;
}

function countsOf<K extends string>(keys: readonly K[], rows: { key: string; count: number }[]): Record<K, number> {
  const counts = Object.fromEntries(keys.map((key) => [key, 0])) as Record<K, number>;
  for (const row of rows) if ((keys as readonly string[]).includes(row.key)) counts[row.key as K] += row.count;
  return counts;
}

/** Installation-wide totals: aggregate SQL over tenants, tenant_usage and users, in one read session. */
export async function installationStats(now = new Date()): Promise<InstallationStats> {
  const period = utcPeriod(now);
  const latest = latestSchema();
  return shared().session("read", async (s) => {
    const { tenants, tenantUsage, users } = s.t;
    const byStatus = await s.db.select({ key: tenants.status, count: count() }).from(tenants).groupBy(tenants.status);
    const byPlan = await s.db.select({ key: tenants.plan, count: count() }).from(tenants).groupBy(tenants.plan);
    const [userCounts] = await s.db.select({ total: count(), seats: countWhere(inArray(users.status, ["active", "pending"])) }).from(users);
    const [usage] = await s.db
      .select({
        executions: sumOf(executionsThisMonth(s.t, period)),
        storage: sumOf(tenantUsage.storageBytes),
        database: sumOf(tenantUsage.databaseBytes),
        prompts: sumOf(tenantUsage.promptCount),
        files: sumOf(tenantUsage.fileCount),
      })
      .from(tenantUsage);
    const [notCurrent] = await s.db
      .select({ count: count() })
      .from(tenants)
      .leftJoin(tenantUsage, eq(tenantUsage.tenantId, tenants.id))
      .where(or(isNull(tenantUsage.schemaVersion), lt(tenantUsage.schemaVersion, latest)));
    const statusCounts = countsOf(TENANT_STATUSES, byStatus);
    return {
      tenants: { total: Object.values(statusCounts).reduce((sum, n) => sum + n, 0), byStatus: statusCounts, byPlan: countsOf(TENANT_PLANS, byPlan) },
      users: { total: userCounts?.total ?? 0, seats: userCounts?.seats ?? 0 },
      executionsThisMonth: usage?.executions ?? 0,
      storageBytes: usage?.storage ?? 0,
      databaseBytes: usage?.database ?? 0,
      prompts: usage?.prompts ?? 0,
      files: usage?.files ?? 0,
      schemaNotCurrent: notCurrent?.count ?? 0,
    };
  });
}

export interface SchemaStatusOptions {
  page?: number;
  pageSize?: number;
  state?: ControlPlaneSchemaState;
  /** Only these tenants (e.g. a chunk the dashboard checks); still paginated. */
  tenantIds?: string[];
}

export interface SchemaStatusPage {
  latest: number;
  summary: Record<ControlPlaneSchemaState, number>;
  tenants: { tenantId: string; slug: string; name: string; status: TenantStatus; version: number | null; latest: number; state: ControlPlaneSchemaState }[];
  total: number;
  page: number;
  pageSize: number;
  totalPages: number;
}

function schemaCondition({ tenantUsage }: Tables, state: ControlPlaneSchemaState | undefined, latest: number): SQL | undefined {
  switch (state) {
    case undefined:
      return undefined;
    case "unknown":
      return isNull(tenantUsage.schemaVersion);
    case "behind":
      return lt(tenantUsage.schemaVersion, latest);
    case "up_to_date":
      return sql`${tenantUsage.schemaVersion} >= ${latest}`;
  }
}

/**
 * Every tenant's schema version as the control plane recorded it (provisioning, the migration
 * runner, repair), paginated and filterable by state, oldest tenant first; never opens a file.
 * HybridMigrationManager.status() reads the files themselves (repair, doctor).
 */
export async function schemaStatusPage(options: SchemaStatusOptions = {}, store: Store = shared(), latest = latestSchema()): Promise<SchemaStatusPage> {
  const page = wholeNumber("page", options.page ?? 1, 1, Number.MAX_SAFE_INTEGER);
  const pageSize = wholeNumber("pageSize", options.pageSize ?? 50, 1, MAX_TENANT_PAGE_SIZE);
  return store.session("read", async (s) => {
    const { tenants, tenantUsage } = s.t;
    const only = options.tenantIds === undefined ? undefined : inArray(tenants.id, options.tenantIds);
    // Grouped by version, the state worked out here: PostgreSQL refuses a GROUP BY of a CASE with
    // a bound parameter (each occurrence is a parameter of its own, so the two expressions differ).
    const byVersion = await s.db
      .select({ version: tenantUsage.schemaVersion, count: count() })
      .from(tenants)
      .leftJoin(tenantUsage, eq(tenantUsage.tenantId, tenants.id))
      .where(only)
      .groupBy(tenantUsage.schemaVersion);
    const grouped = byVersion.map((row) => ({ key: schemaOf(row.version, latest).state, count: row.count }));
    const summary = countsOf(CONTROL_PLANE_SCHEMA_STATES, grouped);
    const where = and(only, schemaCondition(s.t, options.state, latest));
    const total = options.state === undefined ? Object.values(summary).reduce((sum, n) => sum + n, 0) : summary[options.state];
    const rows = await s.db
      .select({ tenantId: tenants.id, slug: tenants.slug, name: tenants.name, status: tenants.status, version: tenantUsage.schemaVersion })
      .from(tenants)
      .leftJoin(tenantUsage, eq(tenantUsage.tenantId, tenants.id))
      .where(where)
      .orderBy(...registrationOrder(s))
      .limit(rowLimit(pageSize))
      .offset((page - 1) * pageSize);
    return {
      latest,
      summary,
      tenants: rows.map((row) => ({ ...row, latest, state: schemaOf(row.version, latest).state })),
      total,
      page,
      pageSize,
      totalPages: Math.ceil(total / pageSize),
    };
  });
}

/**
 * Records the schema version of tenant files in `tenant_usage` (the migration runner, for every
 * tenant it migrated or found up to date), in one write session of the shared store.
 */
export async function recordSchemaVersions(versions: readonly { tenantId: string; version: number }[], store: Store = shared()): Promise<void> {
  if (versions.length === 0) return;
  await store.session("write", async (s) => {
    const { tenantUsage } = s.t;
    for (const { tenantId, version } of versions) {
      await s.db.update(tenantUsage).set({ schemaVersion: version }).where(eq(tenantUsage.tenantId, tenantId));
    }
  });
}
