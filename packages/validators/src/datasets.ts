import { z } from "zod";
import { id, name, pagination } from "./common.ts";

export const MAX_DATASET_NAME_LENGTH = 200;
export const MAX_DATASET_DESCRIPTION_LENGTH = 2_000;
/** Items one dataset may hold: a batch run creates one execution per item and target. */
export const MAX_DATASET_ITEMS = 10_000;
export const MAX_ITEM_VARIABLES = 100;
export const MAX_VARIABLE_NAME_LENGTH = 200;
export const MAX_EXPECTED_OUTPUT_LENGTH = 100_000;
export const MAX_ITEM_TAGS = 20;
export const MAX_TAG_LENGTH = 50;
/** One import's text (a CSV, JSON or JSONL file, or pasted lines) and its rows. */
export const MAX_IMPORT_BYTES = 5 * 1024 * 1024;
export const MAX_IMPORT_ROWS = 5_000;
/** Items added by hand in one call (`datasets.addItems`); imports go up to MAX_IMPORT_ROWS. */
export const MAX_ITEMS_PER_ADD = 1_000;

export const datasetName = name(MAX_DATASET_NAME_LENGTH);
const description = z.string().trim().max(MAX_DATASET_DESCRIPTION_LENGTH, `A description is at most ${MAX_DATASET_DESCRIPTION_LENGTH} characters.`);

export const createDatasetInput = z.object({ name: datasetName, description: description.default("") });
export const updateDatasetInput = z.object({ id, name: datasetName.optional(), description: description.optional() });
export const datasetIdInput = z.object({ id });
export const listDatasetsInput = pagination.extend({ query: z.string().trim().max(200).optional() });

const variableName = z
  .string()
  .trim()
  .min(1, "A variable name is required.")
  .max(MAX_VARIABLE_NAME_LENGTH, `A variable name is at most ${MAX_VARIABLE_NAME_LENGTH} characters.`);
export const itemVariables = z
  .record(variableName, z.unknown())
  .refine((value) => Object.keys(value).length <= MAX_ITEM_VARIABLES, `An item has at most ${MAX_ITEM_VARIABLES} variables.`);
export const expectedOutput = z
  .string()
  .max(MAX_EXPECTED_OUTPUT_LENGTH, `The output to compare with is at most ${MAX_EXPECTED_OUTPUT_LENGTH} characters.`)
  .nullable();
export const itemTags = z
  .array(z.string().trim().min(1, "A tag cannot be empty.").max(MAX_TAG_LENGTH, `A tag is at most ${MAX_TAG_LENGTH} characters.`))
  .max(MAX_ITEM_TAGS, `An item has at most ${MAX_ITEM_TAGS} tags.`);

export const datasetItemInput = z.object({
  variables: itemVariables,
  expectedOutput: expectedOutput.default(null),
  tags: itemTags.default([]),
});
export const listDatasetItemsInput = pagination.extend({ datasetId: id });
export const addDatasetItemsInput = z.object({
  datasetId: id,
  items: z.array(datasetItemInput).min(1, "Give at least one item.").max(MAX_ITEMS_PER_ADD, `At most ${MAX_ITEMS_PER_ADD} items at once; import larger sets.`),
});
export const updateDatasetItemInput = z.object({
  datasetId: id,
  id,
  variables: itemVariables.optional(),
  expectedOutput: expectedOutput.optional(),
  tags: itemTags.optional(),
});
export const deleteDatasetItemsInput = z.object({
  datasetId: id,
  ids: z.array(id).min(1, "Choose at least one item.").max(MAX_ITEMS_PER_ADD, `At most ${MAX_ITEMS_PER_ADD} items at once.`),
});

export const IMPORT_FORMATS = ["csv", "json", "jsonl", "text"] as const;
export const importFormat = z.enum(IMPORT_FORMATS);
export type ImportFormat = z.infer<typeof importFormat>;

/**
 * Which source column becomes which variable (columns left out are ignored), and which column
 * holds the expected output and the tags. Pasted text has one column, "text".
 */
export const importMapping = z.object({
  variables: z.record(z.string().max(MAX_VARIABLE_NAME_LENGTH), variableName),
  expectedOutput: z.string().max(MAX_VARIABLE_NAME_LENGTH).nullable().default(null),
  tags: z.string().max(MAX_VARIABLE_NAME_LENGTH).nullable().default(null),
});
export type ImportMapping = z.infer<typeof importMapping>;

const importContent = z
  .string()
  .min(1, "The import is empty.")
  .max(MAX_IMPORT_BYTES, `An import is at most ${MAX_IMPORT_BYTES / 1024 / 1024} MB of text; split larger files.`);

/** What the preview reads: the text and its format; the mapping is proposed when left out. */
export const previewImportInput = z.object({
  format: importFormat,
  content: importContent,
  mapping: importMapping.optional(),
});
export const importDatasetInput = z.object({
  datasetId: id,
  format: importFormat,
  content: importContent,
  mapping: importMapping,
});

export const EXPORT_FORMATS = ["csv", "json", "jsonl"] as const;
export const exportDatasetInput = z.object({ id, format: z.enum(EXPORT_FORMATS) });
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
