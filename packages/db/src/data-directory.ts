import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { PROVISIONING_FILE, sharedDatabasePath } from "./identifiers.ts";

/** A tenant file found in a data directory, whatever the registry says. */
export interface TenantFileOnDisk {
  tenantId: string;
  path: string;
  bytes: number;
  /** The write-ahead log beside it (0 when there is none). */
  walBytes: number;
}

export interface DataDirectoryScan {
  shared: { path: string; bytes: number; walBytes: number } | null;
  tenantFiles: TenantFileOnDisk[];
  /** Files of a provisioning that never finished (HybridDatabaseManager.provisionTenant removes them on its next look). */
  provisioningLeftovers: string[];
}

const TENANT_FILE = /^tenant_([0-9a-f-]{36})\.sqlite$/;

function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

/**
 * What lies in a data directory, by file name only (no file is opened): shared.sqlite, every
 * `tenant_<id>.sqlite` with its size and its WAL's, and leftovers of interrupted provisioning.
 * `sigil doctor` compares it with the registry.
 */
export function scanDataDirectory(dataDir: string): DataDirectoryScan {
  const tenantFiles: TenantFileOnDisk[] = [];
  const provisioningLeftovers: string[] = [];
  for (const name of readdirSync(dataDir)) {
    const tenant = TENANT_FILE.exec(name);
    const path = join(dataDir, name);
    if (tenant?.[1]) tenantFiles.push({ tenantId: tenant[1], path, bytes: sizeOf(path), walBytes: sizeOf(`${path}-wal`) });
    else if (PROVISIONING_FILE.test(name)) provisioningLeftovers.push(path);
  }
  const sharedPath = sharedDatabasePath(dataDir);
  const sharedBytes = sizeOf(sharedPath);
  return {
    shared: sharedBytes > 0 ? { path: sharedPath, bytes: sharedBytes, walBytes: sizeOf(`${sharedPath}-wal`) } : null,
    tenantFiles: tenantFiles.sort((a, b) => a.tenantId.localeCompare(b.tenantId)),
    provisioningLeftovers,
  };
}
