import { index, integer, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { createdAt, idColumn, jsonColumn, updatedAt } from "../columns.ts";

/** One item's template variables: free-form JSON by nature. */
export type DatasetVariables = Record<string, unknown>;

/** A named set of inputs (hypersigil's test-data group) that batch runs go through. */
export const datasets = sqliteTable(
  "datasets",
  {
    id: idColumn(),
    name: text("name").notNull(),
    description: text("description").notNull().default(""),
    createdBy: text("created_by"),
    updatedBy: text("updated_by"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex("datasets_name_unique").on(t.name), index("datasets_updated_idx").on(t.updatedAt)],
);

/**
 * One input of a dataset. Its bytes (variables, expected output, tags) count toward the tenant's
 * storage, kept current by triggers (tenant migration 0003).
 */
export const datasetItems = sqliteTable(
  "dataset_items",
  {
    id: idColumn(),
    datasetId: text("dataset_id")
      .notNull()
      .references(() => datasets.id, { onDelete: "cascade" }),
    /** The item's place in the dataset (0-based, gaps allowed); batch grids list items in this order. */
    position: integer("position").notNull(),
    variables: jsonColumn<DatasetVariables>("variables").notNull(),
    expectedOutput: text("expected_output"),
    tags: jsonColumn<string[]>("tags").notNull().default([]),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("dataset_items_dataset_position_idx").on(t.datasetId, t.position)],
);
