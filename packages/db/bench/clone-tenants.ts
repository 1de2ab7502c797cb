import { randomUUID } from "node:crypto";
import { copyFileSync, existsSync } from "node:fs";
import { eq } from "drizzle-orm";
import type { HybridDatabaseManager } from "../src/hybrid-manager.ts";
import { tenantUsage, tenantWork } from "../src/schema/shared/control-plane.ts";
import { tenants } from "../src/schema/shared/tenants.ts";

const BATCH = 500;

export interface CloneOptions {
  /** Slugs are `<prefix>-00000`, `<prefix>-00001`, …; names `<prefix> 0`, … */
  slugPrefix: string;
  /** Called every 500 files copied. */
  onProgress?: (copied: number) => void;
}

/**
 * MEASURING SHORTCUT, not how tenants are made: `count` tenants whose file is a copy of the
 * template tenant's file (same schema, same rows) and whose shared rows (tenants, tenant_usage,
 * tenant_work) are copies of its rows under new ids, for benchmarks and load tests that need
 * thousands of tenants. createTenant takes ~4 ms each (40 s for 10,000) and ends in the same
 * state, users aside (copies have none: users live in shared.sqlite). The clones are registered
 * after the template, in the order their files are copied, so the migration runner (which goes in
 * registration order) visits them in file-creation order as it would a real installation's.
 */
export function cloneTenant(manager: HybridDatabaseManager, templateId: string, count: number, options: CloneOptions): string[] {
  const shared = manager.getSharedDatabase();
  const tenantRow = shared.select().from(tenants).where(eq(tenants.id, templateId)).get();
  const usageRow = shared.select().from(tenantUsage).where(eq(tenantUsage.tenantId, templateId)).get();
  const workRow = shared.select().from(tenantWork).where(eq(tenantWork.tenantId, templateId)).get();
  if (!tenantRow || !usageRow || !workRow) throw new Error(`The template tenant ${templateId} has no registry, usage or work row.`);
  manager.closeTenantDatabase(templateId);
  const template = manager.tenantDatabasePath(templateId);
  if (existsSync(`${template}-wal`)) throw new Error(`${template} still has a -wal file: a copy would miss its last writes.`);
  const ids = Array.from({ length: count }, () => randomUUID());
  const created = tenantRow.createdAt.getTime();
  // Registry rows first: a manager starting meanwhile deletes tenant files it finds unregistered.
  shared.transaction((tx) => {
    for (let start = 0; start < ids.length; start += BATCH) {
      const slice = ids.slice(start, start + BATCH);
      tx.insert(tenants)
        .values(
          slice.map((id, offset) => ({
            ...tenantRow,
            id,
            slug: `${options.slugPrefix}-${String(start + offset).padStart(5, "0")}`,
            name: `${options.slugPrefix} ${start + offset}`,
            domain: null,
            createdAt: new Date(created + 1 + start + offset),
          })),
        )
        .run();
      tx.insert(tenantUsage)
        .values(slice.map((id) => ({ ...usageRow, tenantId: id })))
        .run();
      tx.insert(tenantWork)
        .values(slice.map((id) => ({ ...workRow, tenantId: id })))
        .run();
    }
  });
  ids.forEach((id, index) => {
    copyFileSync(template, manager.tenantDatabasePath(id));
    if (index % BATCH === 0) options.onProgress?.(index);
  });
  return ids;
}
