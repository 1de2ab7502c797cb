import { randomUUID } from "node:crypto";
import { eq, like, sql } from "drizzle-orm";
import type { SharedDatabase } from "../connection.ts";
import { ConflictError, isUniqueViolation, NotFoundError, ProvisioningError, SigilDbError } from "../errors.ts";
import { HybridDatabaseManager } from "../hybrid-manager.ts";
import { assertTenantId, assertValidSlug } from "../identifiers.ts";
import { signalWork } from "../work-signal.ts";
import {
  apiKeys,
  sessions,
  settings,
  signInFailures,
  tenants,
  tenantUsage,
  tenantWork,
  users,
  type TenantPlan,
  type TenantStatus,
} from "../schema/shared/index.ts";
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
  placement: string;
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

type RegistryLookups = Record<"bySlug" | "byId" | "byDomain", { get(values: { value: string }): TenantRow | undefined }>;
const registryLookups = new WeakMap<SharedDatabase, RegistryLookups>();

function manager(): HybridDatabaseManager {
  return HybridDatabaseManager.getInstance();
}

/** The tenant registry and the tenant lifecycle (provision, suspend, reactivate, delete). */
export class TenantModel extends SystemModel<typeof tenants> {
  constructor() {
    super(tenants);
  }

  /** Resolves every request: prepared once per connection. */
  async findBySlug(slug: string): Promise<TenantRow | null> {
    return this.lookups().bySlug.get({ value: slug }) ?? null;
  }

  override async findById(id: string): Promise<TenantRow | null> {
    return this.lookups().byId.get({ value: id }) ?? null;
  }

  async findByDomain(domain: string): Promise<TenantRow | null> {
    return this.lookups().byDomain.get({ value: domain.toLowerCase() }) ?? null;
  }

  private lookups() {
    const db = manager().getSharedDatabase();
    let prepared = registryLookups.get(db);
    if (!prepared) {
      const by = (column: typeof tenants.slug | typeof tenants.id | typeof tenants.domain) =>
        db
          .select()
          .from(tenants)
          .where(eq(column, sql.placeholder("value")))
          .prepare();
      prepared = { bySlug: by(tenants.slug), byId: by(tenants.id), byDomain: by(tenants.domain) };
      registryLookups.set(db, prepared);
    }
    return prepared;
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
      // One transaction: the registry row never exists without its control-plane rows.
      const register = () =>
        hybrid.getSharedDatabase().transaction(
          (shared) => {
            const row = shared
              .insert(tenants)
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
              .returning()
              .get();
            // The control plane's rows (schema/shared/control-plane.ts): the new file is at the latest schema.
            shared.insert(tenantUsage).values({ tenantId: id, schemaVersion: hybrid.tenantMigrations().length, updatedAt: now }).run();
            shared.insert(tenantWork).values({ tenantId: id }).run();
            return row;
          },
          { behavior: "immediate" },
        );
      return hybrid.provisionTenantDatabase(id, register);
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
    const db = hybrid.getSharedDatabase();
    // IMMEDIATE: it reads, then writes, while another process may be writing shared.sqlite
    // (a DEFERRED transaction would then fail with "database is locked"; see Model.transaction).
    const deletion = db.transaction(
      (tx) => {
        const row = tx.select().from(tenants).where(eq(tenants.id, id)).get();
        if (!row) return null;
        // Its sign-in counters (tenantSignInKey: the tenant's UUID, then the email). Rate-limit
        // buckets need no purge: a full bucket is pruned by later requests (models/rate-limit.ts).
        tx.delete(signInFailures)
          .where(like(signInFailures.key, `${id}:%`))
          .run();
        const removed = {
          sessions: tx.delete(sessions).where(eq(sessions.tenantId, id)).run().changes,
          apiKeys: tx.delete(apiKeys).where(eq(apiKeys.tenantId, id)).run().changes,
          settings: tx.delete(settings).where(eq(settings.tenantId, id)).run().changes,
          users: tx.delete(users).where(eq(users.tenantId, id)).run().changes,
        };
        tx.delete(tenants).where(eq(tenants.id, id)).run();
        return { tenantId: id, slug: row.slug, removed };
      },
      { behavior: "immediate" },
    );
    if (!deletion) throw new NotFoundError(`Tenant ${id} does not exist.`);
    hybrid.removeTenantDatabase(id);
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
