import type { SqliteConnection, TenantDatabase } from "./connection.ts";

export interface TenantHandle {
  readonly tenantId: string;
  readonly connection: SqliteConnection;
  readonly db: TenantDatabase;
  /** True when the file on disk is no longer the one this handle opened (deleted or replaced). */
  isStale(): boolean;
}

/** A claim on an open tenant handle; the pool never closes a handle while a lease is held. */
export interface TenantLease {
  readonly db: TenantDatabase;
  readonly tenantId: string;
  release(): void;
}

interface Entry {
  handle: TenantHandle;
  leases: number;
  /** Set when the handle must close as soon as its last lease ends (eviction or tenant deletion). */
  retired: boolean;
}

export interface PoolStats {
  open: number;
  inUse: number;
  capacity: number;
  /** Since the pool was created: acquisitions served by an open handle, those that opened one, idle handles closed to stay under capacity. */
  hits: number;
  misses: number;
  evictions: number;
}

/**
 * The LRU registry of open tenant files (docs/architecture.md, The LRU pool: each open WAL file holds ~3
 * descriptors). Only idle handles are evicted; when every handle is leased the pool may exceed
 * its capacity and shrinks back as leases end. A retired handle still serves its holders.
 */
export class TenantConnectionPool {
  private readonly entries = new Map<string, Entry>();
  private readonly retiredInUse = new Set<Entry>();
  private hits = 0;
  private misses = 0;
  private evictions = 0;

  constructor(
    private readonly capacity: number,
    private readonly openHandle: (tenantId: string) => TenantHandle,
  ) {}

  acquire(tenantId: string): TenantLease {
    let entry = this.entries.get(tenantId);
    if (entry && entry.leases === 0 && entry.handle.isStale()) {
      // Deleted or replaced by another process (or an operator): reopen, which re-checks the
      // registry and refuses a missing file, instead of writing into an unlinked file.
      this.entries.delete(tenantId);
      this.retire(entry);
      entry = undefined;
    }
    if (entry) {
      this.hits += 1;
      // Map order is recency order: move to the most recent end.
      this.entries.delete(tenantId);
      this.entries.set(tenantId, entry);
    } else {
      this.misses += 1;
      this.evictIdle(this.capacity - 1);
      entry = { handle: this.openHandle(tenantId), leases: 0, retired: false };
      this.entries.set(tenantId, entry);
    }
    entry.leases += 1;
    return this.leaseOf(entry);
  }

  /** Closes a tenant's handle now if idle, or as soon as its current holders finish. */
  closeTenant(tenantId: string): void {
    const entry = this.entries.get(tenantId);
    if (!entry) return;
    this.entries.delete(tenantId);
    this.retire(entry);
  }

  closeAll(): void {
    for (const tenantId of [...this.entries.keys()]) this.closeTenant(tenantId);
  }

  isOpen(tenantId: string): boolean {
    return this.entries.has(tenantId);
  }

  stats(): PoolStats {
    let inUse = this.retiredInUse.size;
    for (const entry of this.entries.values()) if (entry.leases > 0) inUse += 1;
    const { hits, misses, evictions } = this;
    return { open: this.entries.size + this.retiredInUse.size, inUse, capacity: this.capacity, hits, misses, evictions };
  }

  private leaseOf(entry: Entry): TenantLease {
    let released = false;
    return {
      db: entry.handle.db,
      tenantId: entry.handle.tenantId,
      release: () => {
        if (released) return;
        released = true;
        entry.leases -= 1;
        if (entry.leases === 0 && entry.retired) this.closeEntry(entry);
        else if (entry.leases === 0) this.evictIdle(this.capacity);
      },
    };
  }

  private evictIdle(limit: number): void {
    if (this.entries.size <= limit) return;
    for (const [tenantId, entry] of this.entries) {
      if (this.entries.size <= limit) return;
      if (entry.leases > 0) continue;
      this.entries.delete(tenantId);
      this.evictions += 1;
      this.closeEntry(entry);
    }
  }

  private retire(entry: Entry): void {
    entry.retired = true;
    if (entry.leases === 0) this.closeEntry(entry);
    else this.retiredInUse.add(entry);
  }

  private closeEntry(entry: Entry): void {
    this.retiredInUse.delete(entry);
    if (entry.handle.connection.open) entry.handle.connection.close();
  }
}
