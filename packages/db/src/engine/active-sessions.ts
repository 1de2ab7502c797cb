import { AsyncLocalStorage } from "node:async_hooks";
import type { Session, SessionMode, Store } from "./session.ts";

interface Active {
  readonly session: Session;
  readonly mode: SessionMode;
}

/** The sessions the current async chain has open, by store. */
const activeSessions = new AsyncLocalStorage<ReadonlyMap<Store, Active>>();

/** The session of `store` this async chain already has open, if any. */
export function activeSession(store: Store): Active | undefined {
  return activeSessions.getStore()?.get(store);
}

/**
 * Refuses a tenant session opened inside a shared one. Sessions hold their store's lock until
 * they end: a chain holding the shared lock and waiting for a tenant's, beside a chain holding that
 * tenant's and waiting for the shared one, would wait forever. Tenant first, then shared, always.
 */
export function assertLockOrder(store: Store): void {
  if (store.role !== "tenant") return;
  for (const open of activeSessions.getStore()?.keys() ?? []) {
    if (open.role === "shared")
      throw new Error("A tenant store session was opened inside a shared store session; the lock order is tenant first, then shared.");
  }
}

/** Runs `fn` with `session` recorded as this chain's open session of `store`. */
export function withActiveSession<R>(store: Store, session: Session, mode: SessionMode, fn: () => Promise<R>): Promise<R> {
  const open = new Map(activeSessions.getStore() ?? []);
  open.set(store, { session, mode });
  return activeSessions.run(open, fn);
}
