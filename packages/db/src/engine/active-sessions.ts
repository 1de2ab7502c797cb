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

/** Runs `fn` with `session` recorded as this chain's open session of `store`. */
export function withActiveSession<R>(store: Store, session: Session, mode: SessionMode, fn: () => Promise<R>): Promise<R> {
  const open = new Map(activeSessions.getStore() ?? []);
  open.set(store, { session, mode });
  return activeSessions.run(open, fn);
}
