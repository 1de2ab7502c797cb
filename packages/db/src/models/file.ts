import { createHash } from "node:crypto";
import { sql } from "drizzle-orm";
import { files } from "../schema/tenant/files.ts";
import type { RowOf } from "./base-model.ts";
import { IsolatedModel } from "./strategies.ts";

export type FileRow = RowOf<typeof files>;
export type FileCreate = Omit<typeof files.$inferInsert, "id" | "createdAt" | "updatedAt" | "size" | "sha256">;

export class FileModel extends IsolatedModel<typeof files, Omit<typeof files.$inferInsert, "id" | "createdAt" | "updatedAt">> {
  constructor() {
    super(files);
  }

  /** Stores a file; size and checksum are derived from the bytes, never taken from the caller. */
  async store(data: FileCreate): Promise<FileRow> {
    return this.create({
      ...data,
      size: data.content.byteLength,
      sha256: createHash("sha256").update(data.content).digest("hex"),
    });
  }

  /** Sum of stored bytes (the storage quota's current use). */
  async totalBytes(): Promise<number> {
    return this.withDatabase("files.totalBytes", (db) => {
      const row = db.select({ bytes: sql<number>`coalesce(sum(${files.size}), 0)` }).from(files).get();
      return row?.bytes ?? 0;
    });
  }
}

export const fileModel = new FileModel();
