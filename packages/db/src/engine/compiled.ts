import type { Db, Session } from "./session.ts";

interface Preparable<P> {
  prepare(): P;
}

/** Compiled queries by connection (each store's `db`), then by key. */
const caches = new WeakMap<Db, Map<string, unknown>>();

/**
 * A query compiled once per connection and reused: building a query's SQL text costs more than
 * running it (about 40 µs against a few for a primary-key read on SQLite), so the hot reads (an
 * unfiltered list page, the registry lookups) are compiled with `sql.placeholder`s and executed
 * with values. `key` names the query's shape: two shapes must never share a key. `execute` runs on
 * both drivers; on PostgreSQL an unnamed prepared query is an ordinary parameterized one.
 */
export function compiled<P>(session: Session, key: string, build: () => Preparable<P>): P {
  let cache = caches.get(session.db);
  if (!cache) {
    cache = new Map();
    caches.set(session.db, cache);
  }
  let query = cache.get(key) as P | undefined;
  if (query === undefined) {
    // eslint-disable-next-line no-restricted-syntax -- the one place queries are compiled (see above)
    query = build().prepare();
    cache.set(key, query);
  }
  return query;
}
