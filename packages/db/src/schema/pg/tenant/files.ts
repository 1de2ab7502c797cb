import { index, pgTable, text } from "drizzle-orm/pg-core";
import { bigintColumn, byteaColumn, createdAt, idColumn, jsonColumn, updatedAt } from "../columns.ts";

/** Uploaded files, content inline; mirrors ../../tenant/files.ts. `size` feeds the storage triggers. */
export const files = pgTable(
  "files",
  {
    id: idColumn(),
    name: text("name").notNull(),
    mimeType: text("mime_type").notNull(),
    size: bigintColumn("size").notNull(),
    sha256: text("sha256").notNull(),
    content: byteaColumn("content").notNull(),
    uploadedBy: text("uploaded_by"),
    tags: jsonColumn<string[]>("tags").notNull().default([]),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("files_created_idx").on(t.createdAt), index("files_name_idx").on(t.name)],
);
