import type { SharedDatabase } from "../connection.ts";
import { and, asc, desc, eq, inArray, isNull, lt, or, sql, type SQL } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import { HybridDatabaseManager } from "../hybrid-manager.ts";
import { tenantUsage } from "../schema/shared/control-plane.ts";
import { TENANT_PLANS, TENANT_STATUSES, tenants, type TenantPlan, type TenantStatus } from "../schema/shared/tenants.ts";
import { users } from "../schema/shared/users.ts";
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

const seats = sql<number>`(SELECT count(*) FROM ${users} WHERE ${users.tenantId} = ${tenants.id} AND ${users.status} IN ('active', 'pending'))`;

function executionsThisMonth(period: string): SQL<number> {
  return sql<number>`CASE WHEN ${tenantUsage.executionsPeriod} = ${period} THEN ${tenantUsage.executionsInPeriod} ELSE 0 END`;
}

function sortColumn(key: TenantSortKey, period: string): SQLiteColumn | SQL {
  switch (key) {
    case "name":
      return sql`${tenants.name} COLLATE NOCASE`;
    case "slug":
      return tenants.slug;
    case "created":
      return tenants.createdAt;
    case "status":
      return tenants.status;
    case "plan":
      return sql`CASE ${tenants.plan} WHEN 'free' THEN 0 WHEN 'pro' THEN 1 ELSE 2 END`;
    case "users":
      return seats;
    case "storage":
      return tenantUsage.storageBytes;
    case "executions":
      return executionsThisMonth(period);
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

function listConditions(options: TenantListOptions): SQL | undefined {
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

function shared() {
  return HybridDatabaseManager.getInstance().getSharedDatabase();
}

function latestSchema(): number {
  return HybridDatabaseManager.getInstance().tenantMigrations().length;
}

/** One page of tenants with their usage, filtered, searched and sorted in SQL (ties broken by id). */
export function listTenantsWithUsage(options: TenantListOptions = {}, now = new Date()): TenantListPage {
  const page = wholeNumber("page", options.page ?? 1, 1, Number.MAX_SAFE_INTEGER);
  const pageSize = wholeNumber("pageSize", options.pageSize ?? 25, 1, MAX_TENANT_PAGE_SIZE);
  const period = utcPeriod(now);
  const where = listConditions(options);
  const column = sortColumn(options.sort ?? "name", period);
  const order = options.direction === "desc" ? desc : asc;
  const latest = latestSchema();
  const db = shared();
  return db.transaction(
    (tx) => {
      const total =
        tx
          .select({ count: sql<number>`count(*)` })
          .from(tenants)
          .where(where)
          .get()?.count ?? 0;
      // Two steps: the page's ids are chosen by sorting only the sort key (SQLite computes every
      // selected column before sorting, so the seat count would otherwise run for every tenant),
      // then the page's rows are read in full.
      const ids = tx
        .select({ id: tenants.id })
        .from(tenants)
        .leftJoin(tenantUsage, eq(tenantUsage.tenantId, tenants.id))
        .where(where)
        // Nulls (never measured, no activity) last in either direction.
        .orderBy(sql`${column} IS NULL`, order(column), asc(tenants.id))
        .limit(pageSize)
        .offset((page - 1) * pageSize)
        .all()
        .map((row) => row.id);
      const rows =
        ids.length === 0
          ? []
          : tx
              .select({ tenant: tenants, usage: tenantUsage, seats, executions: executionsThisMonth(period) })
              .from(tenants)
              .leftJoin(tenantUsage, eq(tenantUsage.tenantId, tenants.id))
              .where(inArray(tenants.id, ids))
              .all();
      const byId = new Map(rows.map((row) => [row.tenant.id, row]));
      const ordered = ids.flatMap((id) => {
        const row = byId.get(id);
        return row ? [{ tenant: row.tenant, usage: toSnapshot(row, latest) }] : [];
      });
      return { tenants: ordered, total, page, pageSize, totalPages: Math.ceil(total / pageSize) };
    },
    { behavior: "deferred" },
  );
}

/** One tenant's usage from the mirror, or null for an unknown tenant. */
export function tenantUsageOf(tenantId: string, now = new Date()): TenantUsageSnapshot | null {
  const row = shared()
    .select({ seats, usage: tenantUsage, executions: executionsThisMonth(utcPeriod(now)) })
    .from(tenants)
    .leftJoin(tenantUsage, eq(tenantUsage.tenantId, tenants.id))
    .where(eq(tenants.id, tenantId))
    .get();
  return row ? toSnapshot(row, latestSchema()) : null;
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

/** Installation-wide totals: aggregate SQL over tenants, tenant_usage and users, in one read transaction. */
export function installationStats(now = new Date()): InstallationStats {
  const period = utcPeriod(now);
  const latest = latestSchema();
  return shared().transaction(
    (tx) => {
      const byStatus = tx
        .select({ key: tenants.status, count: sql<number>`count(*)` })
        .from(tenants)
        .groupBy(tenants.status)
        .all();
      const byPlan = tx
        .select({ key: tenants.plan, count: sql<number>`count(*)` })
        .from(tenants)
        .groupBy(tenants.plan)
        .all();
      const userCounts = tx
        .select({ total: sql<number>`count(*)`, seats: sql<number>`coalesce(sum(${users.status} IN ('active', 'pending')), 0)` })
        .from(users)
        .get();
      const usage = tx
        .select({
          executions: sql<number>`coalesce(sum(${executionsThisMonth(period)}), 0)`,
          storage: sql<number>`coalesce(sum(${tenantUsage.storageBytes}), 0)`,
          database: sql<number>`coalesce(sum(${tenantUsage.databaseBytes}), 0)`,
          prompts: sql<number>`coalesce(sum(${tenantUsage.promptCount}), 0)`,
          files: sql<number>`coalesce(sum(${tenantUsage.fileCount}), 0)`,
        })
        .from(tenantUsage)
        .get();
      const notCurrent = tx
        .select({ count: sql<number>`count(*)` })
        .from(tenants)
        .leftJoin(tenantUsage, eq(tenantUsage.tenantId, tenants.id))
        .where(or(isNull(tenantUsage.schemaVersion), lt(tenantUsage.schemaVersion, latest)))
        .get();
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
    },
    { behavior: "deferred" },
  );
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

function schemaCondition(state: ControlPlaneSchemaState | undefined, latest: number): SQL | undefined {
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
export function schemaStatusPage(options: SchemaStatusOptions = {}, db: SharedDatabase = shared(), latest = latestSchema()): SchemaStatusPage {
  const page = wholeNumber("page", options.page ?? 1, 1, Number.MAX_SAFE_INTEGER);
  const pageSize = wholeNumber("pageSize", options.pageSize ?? 50, 1, MAX_TENANT_PAGE_SIZE);
  const only = options.tenantIds === undefined ? undefined : inArray(tenants.id, options.tenantIds);
  const stateExpression = sql<string>`CASE WHEN ${tenantUsage.schemaVersion} IS NULL THEN 'unknown' WHEN ${tenantUsage.schemaVersion} >= ${latest} THEN 'up_to_date' ELSE 'behind' END`;
  return db.transaction(
    (tx) => {
      const grouped = tx
        .select({ key: stateExpression, count: sql<number>`count(*)` })
        .from(tenants)
        .leftJoin(tenantUsage, eq(tenantUsage.tenantId, tenants.id))
        .where(only)
        .groupBy(stateExpression)
        .all();
      const summary = countsOf(CONTROL_PLANE_SCHEMA_STATES, grouped);
      const where = and(only, schemaCondition(options.state, latest));
      const total = options.state === undefined ? Object.values(summary).reduce((sum, n) => sum + n, 0) : summary[options.state];
      const rows = tx
        .select({ tenantId: tenants.id, slug: tenants.slug, name: tenants.name, status: tenants.status, version: tenantUsage.schemaVersion })
        .from(tenants)
        .leftJoin(tenantUsage, eq(tenantUsage.tenantId, tenants.id))
        .where(where)
        // Registration order (rowid grows with each insert): no sort over every tenant.
        .orderBy(sql`${tenants}.rowid`)
        .limit(pageSize)
        .offset((page - 1) * pageSize)
        .all();
      return {
        latest,
        summary,
        tenants: rows.map((row) => ({ ...row, latest, state: schemaOf(row.version, latest).state })),
        total,
        page,
        pageSize,
        totalPages: Math.ceil(total / pageSize),
      };
    },
    { behavior: "deferred" },
  );
}

/**
 * Records the schema version of tenant files in `tenant_usage` (the migration runner, for every
 * tenant it migrated or found up to date), in one shared transaction.
 */
export function recordSchemaVersions(versions: readonly { tenantId: string; version: number }[], db: SharedDatabase = shared()): void {
  if (versions.length === 0) return;
  const connection = db.$client;
  const write = connection.prepare<[number, string]>("UPDATE tenant_usage SET schema_version = ? WHERE tenant_id = ?");
  connection.transaction(() => {
    for (const { tenantId, version } of versions) write.run(version, tenantId);
  })();
}
