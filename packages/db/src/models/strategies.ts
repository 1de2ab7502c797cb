import { eq, type SQL } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import type { Session, SessionMode } from "../engine/session.ts";
import { TenantScopeViolationError } from "../errors.ts";
import { HybridDatabaseManager } from "../hybrid-manager.ts";
import { tenantContext } from "../tenant-context.ts";
import { Model, type ModelTable, type RowOf } from "./base-model.ts";

/** System data in the shared store (the tenant registry): no tenant context needed or used. */
export abstract class SystemModel<T extends ModelTable, TCreate extends object = Omit<T["$inferInsert"], "id" | "createdAt" | "updatedAt">> extends Model<
  T,
  TCreate
> {
  protected session<R>(_operation: string, mode: SessionMode, fn: (session: Session) => Promise<R>): Promise<R> {
    return HybridDatabaseManager.getInstance().sharedStore().session(mode, fn);
  }
}

export type SharedTable = ModelTable & { tenantId: SQLiteColumn };
export type SharedCreate<T extends SharedTable> = Omit<T["$inferInsert"], "id" | "tenantId" | "createdAt" | "updatedAt">;
export type SharedFilter<T extends SharedTable> = Partial<Omit<RowOf<T>, "tenantId">>;

/**
 * Shared models live in the shared store with a tenant_id column. The current tenant (from
 * `tenantContext`) is written on insert and ANDed into every read, update, delete and count. A
 * caller that passes `tenantId` in data or filters gets a TenantScopeViolationError; outside a
 * tenant context every method throws NoTenantContextError.
 */
export abstract class SharedModel<T extends SharedTable> extends Model<T, SharedCreate<T>, SharedFilter<T>> {
  protected session<R>(operation: string, mode: SessionMode, fn: (session: Session) => Promise<R>): Promise<R> {
    const tenantId = tenantContext.getCurrentTenantId(operation);
    return HybridDatabaseManager.getInstance().tenantSharedStore(tenantId).session(mode, fn);
  }

  protected override scope(table: T): SQL {
    return eq(table.tenantId, tenantContext.getCurrentTenantId(`${this.tableName} query`));
  }

  protected override ownedValues(): Record<string, unknown> {
    return { tenantId: tenantContext.getCurrentTenantId(`${this.tableName}.create`) };
  }

  protected override assertCallerFields(fields: object, _use: "write" | "filter"): void {
    if (Object.prototype.hasOwnProperty.call(fields, "tenantId") || Object.prototype.hasOwnProperty.call(fields, "tenant_id")) {
      throw new TenantScopeViolationError(this.tableName);
    }
  }
}

/** Isolated models live in the current tenant's own store; no other tenant's rows exist there. */
export abstract class IsolatedModel<T extends ModelTable, TCreate extends object = Omit<T["$inferInsert"], "id" | "createdAt" | "updatedAt">> extends Model<
  T,
  TCreate
> {
  protected session<R>(operation: string, mode: SessionMode, fn: (session: Session) => Promise<R>): Promise<R> {
    return tenantContext.withTenantStore(operation, (store) => store.session(mode, fn));
  }
}
