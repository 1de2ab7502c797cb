import { basename } from "node:path";
import {
  exportTenantArchive,
  HybridDatabaseManager,
  importTenantArchive,
  type ExportOptions,
  type ExportResult,
  type ImportResult,
  type TenantRow,
} from "@sigil/db";
import { TRPCError } from "@trpc/server";
import type { ApiConfig } from "../config.ts";
import { recordAdminAction, type AdminActor } from "./audit.ts";
import { assertUsableDomain } from "./tenant-admin.ts";

/**
 * Moving a workspace between installations (README: Operating it, export and import): the archive
 * itself is written and read by @sigil/db (src/archive); this adds what every tenant
 * administration does, the domain rules of createTenantWithOwner and the admin audit trail.
 */

export async function exportTenant(actor: AdminActor, tenant: TenantRow, destination: string, options: ExportOptions): Promise<ExportResult> {
  const result = await exportTenantArchive(HybridDatabaseManager.getInstance(), tenant.id, destination, options);
  await recordAdminAction(actor, "tenant.exported", tenant, {
    archive: basename(result.file),
    bytes: result.bytes,
    sha256: result.sha256,
    secrets: result.manifest.secrets,
  });
  return result;
}

export async function importTenant(actor: AdminActor, config: ApiConfig, archive: string, options: { slug?: string; name?: string }): Promise<ImportResult> {
  const result = await importTenantArchive(HybridDatabaseManager.getInstance(), archive, {
    ...options,
    domainProblem: (domain) => domainProblem(config, domain),
  });
  await recordAdminAction(actor, "tenant.imported", result.tenant, {
    archive: basename(archive),
    from: result.source,
    keptTenantId: result.keptTenantId,
    revokedApiKeys: result.revokedApiKeys.length,
    omittedSecrets: result.omittedSecrets.length,
  });
  return result;
}

function domainProblem(config: ApiConfig, domain: string): string | null {
  try {
    assertUsableDomain(config, domain);
    return null;
  } catch (error) {
    if (error instanceof TRPCError) return error.message;
    throw error;
  }
}
