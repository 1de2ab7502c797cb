import { blob, index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { createdAt, idColumn, jsonColumn, updatedAt } from "../columns.ts";

export const files = sqliteTable(
  "files",
  {
    id: idColumn(),
    name: text("name").notNull(),
    mimeType: text("mime_type").notNull(),
    size: integer("size").notNull(),
    sha256: text("sha256").notNull(),
    content: blob("content", { mode: "buffer" }).notNull(),
    uploadedBy: text("uploaded_by"),
    tags: jsonColumn<string[]>("tags").notNull().default([]),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("files_created_idx").on(t.createdAt), index("files_name_idx").on(t.name)],
);
