import { randomUUID } from "node:crypto";
import { HybridDatabaseManager, tenantContext, tenantModel } from "@sigil/db";

/** A finished execution as the worker would have recorded it, created `daysAgo` days ago. */
export interface SeededExecution {
  promptId: string;
  provider: string;
  model: string;
  inputTokens: number;
  outputTokens: number;
  costUsd: number | null;
  daysAgo: number;
}

/**
 * Writes finished executions with tokens and cost straight into a workspace's file in the e2e
 * server's data directory (E2E_DATA_DIR, playwright.config.ts). The server's worker would run a
 * pending execution with the template provider, which reports no usage; and only a direct write
 * can date an execution in the past, which the dashboard's ranges need. The worker's own pricing
 * is proven in packages/api/test/cost-usage.integration.test.ts. Returns the new executions' ids,
 * in the order of `rows`.
 */
export async function seedFinishedExecutions(slug: string, rows: SeededExecution[]): Promise<string[]> {
  const dataDir = process.env.E2E_DATA_DIR;
  if (!dataDir) throw new Error("E2E_DATA_DIR is not set: run the specs through playwright.config.ts.");
  const manager = HybridDatabaseManager.configure({ dataDir });
  try {
    const tenant = await tenantModel.findBySlug(slug);
    if (!tenant) throw new Error(`No workspace "${slug}" in ${dataDir}.`);
    return await tenantContext.runWithTenant(tenant.id, async () =>
      tenantContext.withTenantStore("e2e.seedFinishedExecutions", (store) =>
        store.session("write", async ({ db, t }) => {
          const ids: string[] = [];
          for (const row of rows) {
            const id = randomUUID();
            const at = new Date(Date.now() - row.daysAgo * 86_400_000);
            await db.insert(t.executions).values({
              id,
              promptId: row.promptId,
              promptVersion: 1,
              input: {},
              provider: row.provider,
              model: row.model,
              status: "completed",
              result: "seeded",
              attempts: 1,
              inputTokens: row.inputTokens,
              outputTokens: row.outputTokens,
              costUsd: row.costUsd,
              startedAt: at,
              completedAt: at,
              createdAt: at,
              updatedAt: at,
            });
            ids.push(id);
          }
          return ids;
        }),
      ),
    );
  } finally {
    manager.close();
  }
}
