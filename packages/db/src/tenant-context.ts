import { AsyncLocalStorage } from "node:async_hooks";
import type { Store } from "./engine/session.ts";
import { NoTenantContextError } from "./errors.ts";
import { HybridDatabaseManager, type TenantPin } from "./hybrid-manager.ts";
import { assertTenantId } from "./identifiers.ts";

interface TenantStore {
  readonly tenantId: string;
  readonly manager: HybridDatabaseManager;
  /** Pins the tenant's handle for the whole run, so the LRU keeps it while a request uses it. */
  pin: TenantPin | undefined;
  ended: boolean;
}

/**
 * A run that used the tenant's file may have changed its totals: mirror them to the control plane
 * (HybridDatabaseManager.syncTenantUsage, a session of the tenant's store then one of the shared
 * store). The caller's outcome does not depend on it: a failure leaves the mirror behind until the
 * next run or a repair, and is logged; it never replaces the run's result or error.
 */
async function publishUsage(manager: HybridDatabaseManager, tenantId: string): Promise<void> {
  try {
    await manager.syncTenantUsage(tenantId);
  } catch (error) {
    console.error(`The usage of tenant ${tenantId} could not be copied to the control plane:`, error);
  }
}

/**
 * Which tenant the current async chain works for.
 *
 * The seed's `setContext` used `AsyncLocalStorage.enterWith`, which leaks the store into whatever
 * else runs later on the same tick (another request's continuation included). Only `run` is
 * offered here: the context exists exactly for the callback's async chain and nothing else.
 */
class TenantContextManager {
  private readonly storage = new AsyncLocalStorage<TenantStore>();

  /** Runs `fn` as tenant `tenantId` (a registry UUID). The context ends when `fn` settles. */
  async runWithTenant<T>(tenantId: string, fn: () => T | Promise<T>): Promise<T> {
    assertTenantId(tenantId);
    const store: TenantStore = { tenantId, manager: HybridDatabaseManager.getInstance(), pin: undefined, ended: false };
    return this.storage.run(store, async () => {
      try {
        return await fn();
      } finally {
        store.ended = true;
        // Still pinned while it publishes: the handle the run used is the one read.
        if (store.pin) await publishUsage(store.manager, tenantId);
        store.pin?.release();
        store.pin = undefined;
      }
    });
  }

  /** The current tenant id; throws NoTenantContextError outside runWithTenant. */
  getCurrentTenantId(operation = "This operation"): string {
    return this.requireStore(operation).tenantId;
  }

  tryGetCurrentTenantId(): string | undefined {
    return this.storage.getStore()?.tenantId;
  }

  /**
   * Runs `fn` with the current tenant's store, holding a lease on its handle until `fn` settles
   * (an async session must never find its handle closed under it).
   */
  withTenantStore<T>(operation: string, fn: (store: Store) => Promise<T>): Promise<T> {
    const store = this.requireStore(operation);
    if (!store.ended && store.pin === undefined) store.pin = store.manager.pinTenant(store.tenantId);
    return store.manager.withTenantStore(store.tenantId, fn);
  }

  private requireStore(operation: string): TenantStore {
    const store = this.storage.getStore();
    if (!store) throw new NoTenantContextError(operation);
    return store;
  }
}

export const tenantContext = new TenantContextManager();
export type { TenantContextManager };
