import { randomUUID } from "node:crypto";
import { eq, like, sql } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import { compiled } from "../engine/compiled.ts";
import { ConflictError, isUniqueViolation, NotFoundError, ProvisioningError, SigilDbError } from "../errors.ts";
import { HybridDatabaseManager } from "../hybrid-manager.ts";
import { assertTenantId, assertValidSlug } from "../identifiers.ts";
import { signalWork } from "../work-signal.ts";
import { tenants, type TenantPlacement, type TenantPlan, type TenantStatus } from "../schema/shared/index.ts";
import type { RowOf } from "./base-model.ts";
import { SystemModel } from "./strategies.ts";

export type TenantRow = RowOf<typeof tenants>;

/** The seed's TenantDocument shape (settings nested), as accepted by createTenant. */
export interface TenantLimits {
  users: number;
  /** Megabytes. */
  storage: number;
  executions_per_month: number;
  /** Input + output tokens a month (UTC); null or absent: no token budget. */
  tokens_per_month?: number | null;
}
export interface NewTenant {
  name: string;
  slug: string;
  status?: TenantStatus;
  plan: TenantPlan;
  settings: { domain?: string | null; features: string[]; limits: TenantLimits };
  billing?: { subscription_id?: string | null; current_period_end?: Date | null };
}

export interface TenantDocument extends Required<Omit<NewTenant, "billing">> {
  id: string;
  billing: { subscription_id: string | null; current_period_end: Date | null };
  placement: TenantPlacement;
  /** Null when the tenant is not in maintenance. */
  maintenance: TenantMaintenanceState | null;
  created_at: Date;
  updated_at: Date;
}

/** A tenant's maintenance mode as stored in the registry (schema/shared/tenants.ts). */
export interface TenantMaintenanceState {
  since: Date;
  reason: string;
  until: Date | null;
  by: string;
}

/** The maintenance state of a registry row, or null when the tenant is not in maintenance. */
export function tenantMaintenanceOf(row: TenantRow): TenantMaintenanceState | null {
  if (row.maintenanceSince === null) return null;
  return { since: row.maintenanceSince, reason: row.maintenanceReason ?? "maintenance", until: row.maintenanceUntil, by: row.maintenanceBy ?? "unknown" };
}

export interface TenantDeletion {
  tenantId: string;
  slug: string;
  removed: { users: number; sessions: number; apiKeys: number; settings: number };
}

export function toTenantDocument(row: TenantRow): TenantDocument {
  return {
    id: row.id,
    name: row.name,
    slug: row.slug,
    status: row.status,
    plan: row.plan,
    settings: {
      domain: row.domain,
      features: row.features,
      limits: {
        users: row.limitUsers,
        storage: row.limitStorageMb,
        executions_per_month: row.limitExecutionsPerMonth,
        tokens_per_month: row.limitTokensPerMonth,
      },
    },
    billing: { subscription_id: row.billingSubscriptionId, current_period_end: row.billingCurrentPeriodEnd },
    placement: row.placement,
    maintenance: tenantMaintenanceOf(row),
    created_at: row.createdAt,
    updated_at: row.updatedAt,
  };
}

function manager(): HybridDatabaseManager {
  return HybridDatabaseManager.getInstance();
}

/** The tenant registry and the tenant lifecycle (provision, suspend, reactivate, delete). */
export class TenantModel extends SystemModel<typeof tenants> {
  constructor() {
    super(tenants);
  }

  /**
   * The request path's registry lookups. Not prepared statements: request-path-cache.ts answers
   * them from memory until the registry changes, so only its misses come here.
   */
  async findBySlug(slug: string): Promise<TenantRow | null> {
    return this.findRegistered("tenants.findBySlug", (t) => t.slug, slug);
  }

  override async findById(id: string): Promise<TenantRow | null> {
    return this.findRegistered("tenants.findById", (t) => t.id, id);
  }

  async findByDomain(domain: string): Promise<TenantRow | null> {
    return this.findRegistered("tenants.findByDomain", (t) => t.domain, domain.toLowerCase());
  }

  /**
   * One registry row by a unique column, with a compiled query (registry lookups run on request
   * paths). No LIMIT: the column is unique, and a bound LIMIT would have SQLite re-prepare the
   * statement on every call (engine/dialect.ts rowLimit).
   */
  private findRegistered(operation: string, column: (t: typeof tenants) => SQLiteColumn, value: string): Promise<TenantRow | null> {
    return this.session(operation, "read", async (s) => {
      const table = s.t.tenants;
      const query = compiled(s, operation, () =>
        s.db
          .select()
          .from(table)
          .where(eq(column(table), sql.placeholder("value"))),
      );
      const [row] = await query.execute({ value });
      return row ?? null;
    });
  }

  async findActive(): Promise<TenantRow[]> {
    return this.findMany({ where: { status: "active" }, orderBy: { column: "createdAt" } });
  }

  /**
   * Provisions a tenant: creates its file with the current tenant schema, then registers it. If
   * any step fails, nothing is left behind (no file, no row); a taken slug is a ConflictError.
   */
  async createTenant(input: NewTenant): Promise<TenantRow> {
    assertValidSlug(input.slug);
    if (await this.findBySlug(input.slug)) throw new ConflictError(`The slug "${input.slug}" is already taken.`);
    const id = randomUUID();
    const hybrid = manager();
    const now = new Date();
    try {
      // One write session: the registry row never exists without its control-plane rows.
      const register = () =>
        hybrid.sharedStore().session("write", async (s) => {
          const [row] = await s.db
            .insert(s.t.tenants)
            .values({
              id,
              name: input.name,
              slug: input.slug,
              status: input.status ?? "active",
              plan: input.plan,
              domain: input.settings.domain ? input.settings.domain.toLowerCase() : null,
              features: input.settings.features,
              limitUsers: input.settings.limits.users,
              limitStorageMb: input.settings.limits.storage,
              limitExecutionsPerMonth: input.settings.limits.executions_per_month,
              limitTokensPerMonth: input.settings.limits.tokens_per_month ?? null,
              billingSubscriptionId: input.billing?.subscription_id ?? null,
              billingCurrentPeriodEnd: input.billing?.current_period_end ?? null,
              createdAt: now,
              updatedAt: now,
            })
            .returning();
          if (!row) throw new ProvisioningError(`The registry returned no row for tenant "${input.slug}".`);
          // The control plane's rows (schema/shared/control-plane.ts): the new file is at the latest schema.
          await s.db.insert(s.t.tenantUsage).values({ tenantId: id, schemaVersion: hybrid.tenantMigrations().length, updatedAt: now });
          await s.db.insert(s.t.tenantWork).values({ tenantId: id });
          return row;
        });
      return await hybrid.provisionTenant(id, register);
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new ConflictError(`The slug "${input.slug}" or its custom domain is already taken.`, { cause: error });
      }
      if (error instanceof SigilDbError) throw error;
      throw new ProvisioningError(`Could not provision tenant "${input.slug}".`, { cause: error });
    }
  }

  async suspend(id: string): Promise<TenantRow> {
    return this.setStatus(id, "suspended");
  }

  /** Back to active; its executions that waited meanwhile are signalled to the worker (work-signal.ts). */
  async reactivate(id: string): Promise<TenantRow> {
    const row = await this.setStatus(id, "active");
    signalWork(manager().options.dataDir);
    return row;
  }

  /**
   * Deletes a tenant for good: its shared rows and registry row in one transaction, then its
   * file with `-wal` and `-shm`. The slug can be registered again immediately.
   */
  async deleteTenant(id: string): Promise<TenantDeletion> {
    assertTenantId(id);
    const hybrid = manager();
    // A write session (IMMEDIATE on SQLite): it reads, then writes, while another process may be
    // writing shared.sqlite (a DEFERRED transaction would then fail with "database is locked").
    const unregister = () =>
      hybrid.sharedStore().session("write", async (s) => {
        const { tenants: registry, signInFailures, sessions, apiKeys, settings, users } = s.t;
        const [row] = await s.db.select().from(registry).where(eq(registry.id, id));
        if (!row) return null;
        // Its sign-in counters (tenantSignInKey: the tenant's UUID, then the email). Rate-limit
        // buckets need no purge: a full bucket is pruned by later requests (models/rate-limit.ts).
        await s.db.delete(signInFailures).where(like(signInFailures.key, `${id}:%`));
        const removed = {
          sessions: (await s.db.delete(sessions).where(eq(sessions.tenantId, id)).returning({ id: sessions.id })).length,
          apiKeys: (await s.db.delete(apiKeys).where(eq(apiKeys.tenantId, id)).returning({ id: apiKeys.id })).length,
          settings: (await s.db.delete(settings).where(eq(settings.tenantId, id)).returning({ id: settings.id })).length,
          users: (await s.db.delete(users).where(eq(users.tenantId, id)).returning({ id: users.id })).length,
        };
        await s.db.delete(registry).where(eq(registry.id, id));
        return { tenantId: id, slug: row.slug, removed };
      });
    if (!(await this.findById(id))) throw new NotFoundError(`Tenant ${id} does not exist.`);
    const deletion = await hybrid.deleteTenantStorage(id, unregister);
    if (!deletion) throw new NotFoundError(`Tenant ${id} does not exist.`);
    return deletion;
  }

  /**
   * Turns maintenance mode on (`state`) or off (null). One UPDATE of the registry row: the
   * request-path caches of every process see it on their next request (cache_generation trigger).
   * Turning it off signals the worker, whose queued executions of the tenant waited meanwhile.
   */
  async setMaintenance(id: string, state: TenantMaintenanceState | null): Promise<TenantRow> {
    assertTenantId(id);
    const row = await this.update(id, {
      maintenanceSince: state?.since ?? null,
      maintenanceReason: state?.reason ?? null,
      maintenanceUntil: state?.until ?? null,
      maintenanceBy: state?.by ?? null,
    });
    if (!row) throw new NotFoundError(`Tenant ${id} does not exist.`);
    if (state === null) signalWork(manager().options.dataDir);
    return row;
  }

  private async setStatus(id: string, status: TenantStatus): Promise<TenantRow> {
    assertTenantId(id);
    const row = await this.update(id, { status });
    if (!row) throw new NotFoundError(`Tenant ${id} does not exist.`);
    return row;
  }
}

export const tenantModel = new TenantModel();
