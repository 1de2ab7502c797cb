import { AsyncLocalStorage } from "node:async_hooks";
import type { Session, SessionMode, Store } from "./session.ts";

export interface ActiveSession {
  readonly store: Store;
  readonly session: Session;
  readonly mode: SessionMode;
}

/** The sessions the current async chain has open, by join key (Store.joinKey). */
const activeSessions = new AsyncLocalStorage<ReadonlyMap<unknown, ActiveSession>>();

/** The open session of this async chain that `store` shares a transaction with, if any. */
export function activeSession(store: Store): ActiveSession | undefined {
  return activeSessions.getStore()?.get(store.joinKey);
}

/**
 * Whether a session of `store` in `mode` joins `open` (same join key): always, except a write
 * inside a read. That is a mistake within one store; across two stores that share a key (a
 * tenant's PostgreSQL store and its view of the shared tables) the write gets its own transaction.
 */
export function joins(store: Store, mode: SessionMode, open: ActiveSession): boolean {
  if (mode === "read" || open.mode === "write") return true;
  if (open.store === store) throw new Error("A write was started inside a read session of the same database.");
  return false;
}

/**
 * Refuses a tenant session opened inside a shared one. Sessions hold their store's lock until
 * they end: a chain holding the shared lock and waiting for a tenant's, beside a chain holding that
 * tenant's and waiting for the shared one, would wait forever. Tenant first, then shared, always.
 */
export function assertLockOrder(store: Store): void {
  if (store.role !== "tenant") return;
  for (const open of activeSessions.getStore()?.values() ?? []) {
    if (open.store.role === "shared")
      throw new Error("A tenant store session was opened inside a shared store session; the lock order is tenant first, then shared.");
  }
}

/** Runs `fn` with `session` recorded as this chain's open session of `store` (and its join key). */
export function withActiveSession<R>(store: Store, session: Session, mode: SessionMode, fn: () => Promise<R>): Promise<R> {
  const open = new Map(activeSessions.getStore() ?? []);
  open.set(store.joinKey, { store, session, mode });
  return activeSessions.run(open, fn);
}
