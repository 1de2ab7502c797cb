import { index, integer, pgTable, text, uniqueIndex } from "drizzle-orm/pg-core";
import type { DatasetVariables } from "../../tenant/datasets.ts";
import { createdAt, idColumn, jsonColumn, updatedAt } from "../columns.ts";

/** Datasets and their items; mirrors ../../tenant/datasets.ts. Item bytes are counted by triggers (migrations/pg/tenant). */
export const datasets = pgTable(
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

export const datasetItems = pgTable(
  "dataset_items",
  {
    id: idColumn(),
    datasetId: text("dataset_id")
      .notNull()
      .references(() => datasets.id, { onDelete: "cascade" }),
    position: integer("position").notNull(),
    variables: jsonColumn<DatasetVariables>("variables").notNull(),
    expectedOutput: text("expected_output"),
    tags: jsonColumn<string[]>("tags").notNull().default([]),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("dataset_items_dataset_position_idx").on(t.datasetId, t.position)],
);
