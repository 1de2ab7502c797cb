import { expect, test } from "vitest";
import type { SqliteConnection, TenantDatabase } from "./connection.ts";
import { TenantConnectionPool, type TenantHandle } from "./tenant-pool.ts";

/** A handle without a file: the pool only needs `open`, `close` and `isStale`. */
function fakeHandle(tenantId: string, closed: string[]): TenantHandle {
  const connection = {
    open: true,
    close() {
      this.open = false;
      closed.push(tenantId);
    },
  };
  return { tenantId, connection: connection as unknown as SqliteConnection, db: {} as TenantDatabase, isStale: () => false };
}

test("stats count hits, misses and evictions (the metrics' pool series)", () => {
  const closed: string[] = [];
  const pool = new TenantConnectionPool(2, (tenantId) => fakeHandle(tenantId, closed));
  pool.acquire("a").release(); // miss
  pool.acquire("a").release(); // hit
  pool.acquire("b").release(); // miss
  pool.acquire("c").release(); // miss, evicts a (least recently used)
  expect(closed).toEqual(["a"]);
  expect(pool.stats()).toEqual({ open: 2, inUse: 0, capacity: 2, hits: 1, misses: 3, evictions: 1 });
  // A tenant closed on purpose (deletion) is not an eviction.
  pool.closeTenant("b");
  expect(pool.stats()).toMatchObject({ open: 1, evictions: 1 });
});
