import {
  batchRunModel,
  datasetItemModel,
  datasetModel,
  isForeignKeyViolation,
  type BatchRunRow,
  type BatchTarget,
  type ExecutionStatus,
  type PromptVersionRow,
  type TenantRow,
} from "@sigil/db";
import { TRPCError } from "@trpc/server";
import type { z } from "zod";
import type { batchTargetInput } from "@sigil/validators";
import { assertProviderOptions, monthlyLimitsOf, resolvePromptVersion, resolveProviderModel } from "./executions.ts";
import { assertItemsFollowSchemas } from "./input-validation.ts";
import { toJsonObject } from "./json-values.ts";

/**
 * Batch runs: a prompt over every item of a dataset, once per target (a version on a
 * provider:model). Everything is checked before anything is written (each target's options, each
 * item's variables against each version's input schema); the monthly quota is counted
 * and the run with all its executions inserted in one IMMEDIATE transaction
 * (batchRunModel.createWithinMonthlyLimit), so parallel runs never overshoot.
 */

export interface BatchRunRequest {
  promptId: string;
  datasetId: string;
  name: string;
  targets: z.infer<typeof batchTargetInput>[];
}

export async function createBatchRun(
  actor: { tenant: Pick<TenantRow, "limitExecutionsPerMonth" | "limitTokensPerMonth">; user: { id: string } },
  request: BatchRunRequest,
): Promise<BatchRunRow> {
  const dataset = await datasetModel.findById(request.datasetId);
  if (!dataset) throw new TRPCError({ code: "NOT_FOUND", message: `Dataset ${request.datasetId} does not exist.` });
  const targets: BatchTarget[] = [];
  const versions: PromptVersionRow[] = [];
  for (const target of request.targets) {
    const version = await resolvePromptVersion(request.promptId, target.version);
    const resolved = await resolveProviderModel(target.provider, target.model);
    const options = toJsonObject(target.options, "options");
    assertProviderOptions(resolved.kind, options);
    if (!versions.some((known) => known.version === version.version)) versions.push(version);
    targets.push({ version: version.version, provider: resolved.provider, model: resolved.model, options });
  }
  const seen = new Set<string>();
  for (const target of targets) {
    const key = JSON.stringify([target.version, target.provider, target.model, target.options]);
    if (seen.has(key)) {
      throw new TRPCError({
        code: "BAD_REQUEST",
        message: `Version ${target.version} on ${target.provider}:${target.model} is listed twice; each target is a different column.`,
      });
    }
    seen.add(key);
  }
  const items = await datasetItemModel.listAll(dataset.id);
  if (items.length === 0) throw new TRPCError({ code: "BAD_REQUEST", message: `Dataset "${dataset.name}" has no items; add or import some first.` });
  assertItemsFollowSchemas(versions, items);
  const cells = items.flatMap((item) => targets.map((_, targetIndex) => ({ datasetItemId: item.id, input: item.variables, targetIndex })));
  try {
    return await batchRunModel.createWithinMonthlyLimit(
      { name: request.name, promptId: request.promptId, datasetId: dataset.id, datasetName: dataset.name, targets, createdBy: actor.user.id },
      cells,
      monthlyLimitsOf(actor.tenant),
    );
  } catch (error) {
    if (isForeignKeyViolation(error)) {
      throw new TRPCError({
        code: "CONFLICT",
        message: "The prompt, dataset or one of its items was deleted while the run was being created; nothing was saved.",
        cause: error,
      });
    }
    throw error;
  }
}

export async function requireRun(id: string): Promise<BatchRunRow> {
  const run = await batchRunModel.findById(id);
  if (!run) throw new TRPCError({ code: "NOT_FOUND", message: `Batch run ${id} does not exist.` });
  return run;
}

const ENDED: readonly ExecutionStatus[] = ["completed", "failed", "cancelled"];

export async function runWithProgress(run: BatchRunRow) {
  const byStatus = await batchRunModel.progress(run.id);
  const total = Object.values(byStatus).reduce((sum, n) => sum + n, 0);
  const done = ENDED.reduce((sum, status) => sum + byStatus[status], 0);
  return { ...run, progress: { byStatus, done, total } };
}
