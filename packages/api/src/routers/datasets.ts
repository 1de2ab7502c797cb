import { datasetItemModel, datasetModel, type DatasetRow } from "@sigil/db";
import {
  addDatasetItemsInput,
  type datasetItemInput,
  createDatasetInput,
  datasetIdInput,
  deleteDatasetItemsInput,
  exportDatasetInput,
  importDatasetInput,
  listDatasetItemsInput,
  listDatasetsInput,
  MAX_DATASET_ITEMS,
  previewImportInput,
  updateDatasetInput,
  updateDatasetItemInput,
} from "@sigil/validators";
import { TRPCError } from "@trpc/server";
import type { z } from "zod";
import { authedProcedure } from "../procedures.ts";
import { ERRORS } from "../rest/errors.ts";
import { datasetItemOutput, datasetWithCountOutput, exportOutput } from "../rest/dataset-outputs.ts";
import { pageOutput } from "../rest/outputs.ts";
import { recordAudit } from "../services/audit.ts";
import { previewImport, readImport } from "../services/dataset-import.ts";
import { exportDataset } from "../services/dataset-export.ts";
import { toJsonObject } from "../services/json-values.ts";
import { storageLimitBytes } from "../services/quotas.ts";
import { withUniqueName } from "../services/unique-names.ts";
import { router } from "../trpc.ts";

const read = authedProcedure({ role: "viewer", scope: "prompts:read" });
const write = authedProcedure({ role: "user" });

async function requireDataset(id: string): Promise<DatasetRow> {
  const dataset = await datasetModel.findById(id);
  if (!dataset) throw new TRPCError({ code: "NOT_FOUND", message: `Dataset ${id} does not exist.` });
  return dataset;
}

/** Items as written by people: variables must be plain JSON. */
function checkedItems(items: readonly z.infer<typeof datasetItemInput>[]) {
  return items.map((item, index) => ({
    variables: toJsonObject(item.variables, items.length > 1 ? `items[${index}].variables` : "variables"),
    expectedOutput: item.expectedOutput,
    tags: item.tags,
  }));
}

/** What an item write may use: the plan's storage, and MAX_DATASET_ITEMS per dataset. */
const itemLimits = (tenant: Parameters<typeof storageLimitBytes>[0]) => ({ bytes: storageLimitBytes(tenant), items: MAX_DATASET_ITEMS });

export const datasetsRouter = router({
  /** Name search, most recently changed first, each with its number of items. */
  list: read
    .meta({
      openapi: {
        method: "GET",
        path: "/datasets",
        tags: ["datasets"],
        summary: "List datasets",
        description: "Search by name, most recently changed first, each with its number of items.",
        errorResponses: ERRORS.read,
      },
    })
    .input(listDatasetsInput.prefault({}))
    .output(pageOutput(datasetWithCountOutput, "DatasetPage"))
    .query(({ input }) => datasetModel.listWithCounts(input)),

  get: read
    .meta({
      openapi: {
        method: "GET",
        path: "/datasets/{id}",
        tags: ["datasets"],
        summary: "Get a dataset",
        description: "The dataset and its number of items.",
        errorResponses: ERRORS.read,
      },
    })
    .input(datasetIdInput)
    .output(datasetWithCountOutput)
    .query(async ({ input }) => {
      const dataset = await requireDataset(input.id);
      return { ...dataset, itemCount: await datasetModel.countItems(dataset.id) };
    }),

  create: write.input(createDatasetInput).mutation(async ({ ctx, input }) => {
    const dataset = await withUniqueName("dataset", input.name, () =>
      datasetModel.create({ name: input.name, description: input.description, createdBy: ctx.user.id, updatedBy: ctx.user.id }),
    );
    await recordAudit(ctx, "dataset.created", { type: "dataset", id: dataset.id }, { name: dataset.name });
    return dataset;
  }),

  update: write.input(updateDatasetInput).mutation(async ({ ctx, input }) => {
    await requireDataset(input.id);
    const dataset = await withUniqueName("dataset", input.name, () =>
      datasetModel.update(input.id, { name: input.name, description: input.description, updatedBy: ctx.user.id }),
    );
    if (!dataset) throw new TRPCError({ code: "NOT_FOUND", message: `Dataset ${input.id} does not exist.` });
    await recordAudit(ctx, "dataset.updated", { type: "dataset", id: dataset.id }, { name: dataset.name });
    return dataset;
  }),

  /** Deletes the dataset and its items; batch runs over it keep their results (and its name). */
  delete: write.input(datasetIdInput).mutation(async ({ ctx, input }) => {
    const dataset = await requireDataset(input.id);
    const items = await datasetModel.countItems(dataset.id);
    if (!(await datasetModel.delete(dataset.id))) throw new TRPCError({ code: "NOT_FOUND", message: `Dataset ${input.id} does not exist.` });
    await recordAudit(ctx, "dataset.deleted", { type: "dataset", id: dataset.id }, { name: dataset.name, items });
    return { id: dataset.id, deletedItems: items };
  }),

  /** A page of the dataset's items in position order. */
  items: read
    .meta({
      openapi: {
        method: "GET",
        path: "/datasets/{datasetId}/items",
        tags: ["datasets"],
        summary: "List a dataset's items",
        description: "A page of items in position order.",
        errorResponses: ERRORS.read,
      },
    })
    .input(listDatasetItemsInput)
    .output(pageOutput(datasetItemOutput, "DatasetItemPage"))
    .query(async ({ input }) => {
      await requireDataset(input.datasetId);
      return datasetItemModel.listPage(input.datasetId, input);
    }),

  /** Appends items; their bytes count toward the plan's storage (refused whole when over). */
  addItems: write.input(addDatasetItemsInput).mutation(async ({ ctx, input }) => {
    const dataset = await requireDataset(input.datasetId);
    return datasetItemModel.appendWithinLimits(dataset.id, checkedItems(input.items), itemLimits(ctx.tenant), ctx.user.id);
  }),

  updateItem: write.input(updateDatasetItemInput).mutation(async ({ ctx, input }) => {
    await requireDataset(input.datasetId);
    const row = await datasetItemModel.updateWithinStorage(
      input.datasetId,
      input.id,
      {
        ...(input.variables !== undefined ? { variables: toJsonObject(input.variables, "variables") } : {}),
        ...(input.expectedOutput !== undefined ? { expectedOutput: input.expectedOutput } : {}),
        ...(input.tags !== undefined ? { tags: input.tags } : {}),
      },
      storageLimitBytes(ctx.tenant),
      ctx.user.id,
    );
    if (!row) throw new TRPCError({ code: "NOT_FOUND", message: `Item ${input.id} does not exist in this dataset.` });
    return row;
  }),

  /** Deletes one or several items; ids that are not items of this dataset are ignored. */
  deleteItems: write.input(deleteDatasetItemsInput).mutation(async ({ ctx, input }) => {
    await requireDataset(input.datasetId);
    const deleted = await datasetItemModel.deleteMany(input.datasetId, input.ids, ctx.user.id);
    return { deleted };
  }),

  /**
   * Step one of an import: the columns found, the mapping (proposed unless given), the first 20
   * rows mapped and the rows that cannot become items (with their row numbers). Writes nothing.
   */
  previewImport: write.input(previewImportInput).mutation(({ input }) => previewImport(input.format, input.content, input.mapping)),

  /**
   * Step two: every row with the mapping, all or nothing in one transaction. Any row error refuses
   * the import (400 listing the first errors); the items' bytes count toward the plan's storage.
   */
  import: write.input(importDatasetInput).mutation(async ({ ctx, input }) => {
    const dataset = await requireDataset(input.datasetId);
    const items = readImport(input.format, input.content, input.mapping);
    const rows = await datasetItemModel.appendWithinLimits(dataset.id, items, itemLimits(ctx.tenant), ctx.user.id);
    await recordAudit(ctx, "dataset.imported", { type: "dataset", id: dataset.id }, { format: input.format, items: rows.length });
    return { imported: rows.length };
  }),

  export: read
    .meta({
      openapi: {
        method: "GET",
        path: "/datasets/{id}/export",
        tags: ["datasets"],
        summary: "Export a dataset",
        description: "Every item as CSV (a column per variable, then expected_output and tags), JSON or JSONL text.",
        errorResponses: ERRORS.read,
      },
    })
    .input(exportDatasetInput)
    .output(exportOutput)
    .query(async ({ input }) => {
      const dataset = await requireDataset(input.id);
      return exportDataset(dataset, await datasetItemModel.listAll(dataset.id), input.format);
    }),
});
