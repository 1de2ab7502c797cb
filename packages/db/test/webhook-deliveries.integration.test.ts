import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { batchRuns } from "../src/schema/tenant/index.ts";
import { executionModel, promptModel, settingsModel, tenantContext, tenantWorkModel, webhookDeliveryModel, type TenantRow } from "../src/index.ts";
import { createTenants, useTempDataDir } from "./helpers.ts";

/**
 * batch.completed as the batch run's completion queues it (webhookDeliveryModel.
 * queueBatchCompletedInTransaction, inside that transaction): its data (run, prompt, dataset,
 * totals), who receives it, and the deliverer's index mark written with it.
 */

let env: Awaited<ReturnType<typeof useTempDataDir>>;
beforeAll(async () => {
  env = await useTempDataDir();
});
afterAll(() => env.cleanup());

const inTenant = <T>(tenant: TenantRow, fn: () => Promise<T>) => tenantContext.runWithTenant(tenant.id, fn);

describe("batch.completed", () => {
  test("carries the run's totals, goes to subscribed enabled webhooks not limited to a deployment, and marks the tenant due", async () => {
    const [tenant] = await createTenants("wd-batch");
    if (!tenant) throw new Error("no tenant");
    const prompt = await inTenant(tenant, () => promptModel.create({ name: "summarise", template: "x", acceptsFiles: false, responseSchema: null }));
    await inTenant(tenant, async () => {
      await settingsModel.upsert("webhook", "batches", { url: "https://hooks.example/b", events: ["batch.completed"], enabled: true, secret: "whsec_x" });
      await settingsModel.upsert("webhook", "executions-only", { url: "https://hooks.example/e", events: ["execution.completed"], enabled: true });
      await settingsModel.upsert("webhook", "off", { url: "https://hooks.example/o", events: ["batch.completed"], enabled: false });
      await settingsModel.upsert("webhook", "one-deployment", {
        url: "https://hooks.example/d",
        events: ["batch.completed"],
        enabled: true,
        deploymentId: "d1",
      });
    });
    const runId = "11111111-1111-4111-8111-111111111111";
    const rows = await inTenant(tenant, async () => {
      await tenantContext.withTenantStore("test.batch", (store) =>
        store.session("write", ({ db }) =>
          db.insert(batchRuns).values({
            id: runId,
            name: "nightly",
            promptId: prompt.id,
            datasetId: null,
            datasetName: "faq",
            targets: [{ version: 1, provider: "template", model: "m", options: {} }],
            status: "completed",
            total: 3,
          }),
        ),
      );
      for (const [status, tokens, cost] of [
        ["completed", 10, 0.5],
        ["completed", 20, 0.25],
        ["failed", 0, 0],
      ] as const) {
        const execution = await executionModel.create({
          promptId: prompt.id,
          promptVersion: 1,
          input: {},
          provider: "template",
          model: "m",
          batchRunId: runId,
        });
        await tenantContext.withTenantStore("test.batch", (store) =>
          store.session("write", ({ db, t }) =>
            db.update(t.executions).set({ status, inputTokens: tokens, outputTokens: tokens, costUsd: cost }).where(eq(t.executions.id, execution.id)),
          ),
        );
      }
      return tenantContext.withTenantStore("test.batch", (store) =>
        store.session("write", (s) => webhookDeliveryModel.queueBatchCompletedInTransaction(s, runId)),
      );
    });
    expect(rows.map((row) => row.webhook)).toEqual(["batches"]);
    expect(rows[0]?.payload).toMatchObject({
      type: "batch.completed",
      tenant: { id: tenant.id, slug: "wd-batch" },
      data: {
        runId,
        name: "nightly",
        prompt: { id: prompt.id, name: "summarise" },
        dataset: { id: null, name: "faq" },
        totals: { executions: 3, completed: 2, failed: 1, inputTokens: 30, outputTokens: 30, costUsd: 0.75 },
      },
    });
    expect(await tenantWorkModel.webhooksDueAt(tenant.id)).not.toBeNull();
    await expect(
      inTenant(tenant, async () =>
        tenantContext.withTenantStore("test.batch", (store) =>
          store.session("write", (s) => webhookDeliveryModel.queueBatchCompletedInTransaction(s, "missing")),
        ),
      ),
    ).rejects.toThrow(/Batch run missing does not exist/);
  });
});
