/**
 * Where the verifier reads what the installation stored, beside what its API says: the SQLite files
 * of the data directory (read-only, with SQLite's integrity check), or the PostgreSQL database of
 * a cluster run (through @sigil/db's own stores, as the system does; PostgreSQL has no per-tenant
 * integrity check to run: its pages are checksummed by the server).
 */
import { HybridDatabaseManager, inspectSharedFile, inspectTenantFile, inspectTenantStore } from "@sigil/db";

type Rows = Record<string, Record<string, unknown>[]>;

export interface StoredData {
  readonly label: "file" | "database";
  /** The rows of `tables` of one tenant. */
  rows(tenantId: string, tables: readonly string[]): Promise<Rows>;
  /** Integrity-check lines (`["ok"]` when sound), or null where the engine has none to run. */
  integrity(tenantId: string): Promise<string[] | null>;
  sharedIntegrity(): Promise<string[] | null>;
  close(): Promise<void>;
}

export function sqliteFiles(dataDir: string): StoredData {
  return {
    label: "file",
    rows: (tenantId, tables) => Promise.resolve(inspectTenantFile(dataDir, tenantId, { tables }).rows),
    integrity: (tenantId) => Promise.resolve(inspectTenantFile(dataDir, tenantId, { integrity: true }).integrity),
    sharedIntegrity: () => Promise.resolve(inspectSharedFile(dataDir, { integrity: true }).integrity),
    close: () => Promise.resolve(),
  };
}

/** The cluster's PostgreSQL, read in this process as the installation's system role does. */
export function postgresDatabase(databaseUrl: string, scratchDir: string): StoredData {
  const manager = HybridDatabaseManager.configure({ database: { engine: "postgres", url: databaseUrl }, dataDir: scratchDir });
  return {
    label: "database",
    rows: (tenantId, tables) => inspectTenantStore(tenantId, tables),
    integrity: () => Promise.resolve(null),
    sharedIntegrity: () => Promise.resolve(null),
    close: async () => {
      manager.close();
      await manager.whenClosed();
    },
  };
}
