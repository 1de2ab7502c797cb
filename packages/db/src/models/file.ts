import { createHash } from "node:crypto";
import { sql } from "drizzle-orm";
import { QuotaExceededError } from "../errors.ts";
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

  /**
   * Stores a file only if the tenant's stored bytes stay within `limitBytes`; sum and insert run
   * in one IMMEDIATE transaction, so parallel uploads can never overshoot.
   */
  async storeWithinQuota(data: FileCreate, limitBytes: number): Promise<FileRow> {
    const size = data.content.byteLength;
    return this.withDatabase("files.storeWithinQuota", (db) =>
      this.transaction(
        db,
        (tx) => {
          const row = tx.select({ bytes: sql<number>`coalesce(sum(${files.size}), 0)` }).from(files).get();
          const used = row?.bytes ?? 0;
          if (used + size > limitBytes) {
            throw new QuotaExceededError(
              "storage",
              limitBytes,
              used,
              `Storing ${formatBytes(size)} would exceed the plan's ${formatBytes(limitBytes)} of storage (${formatBytes(used)} used).`,
            );
          }
          return this.createSync({ ...data, size, sha256: createHash("sha256").update(data.content).digest("hex") });
        },
        "immediate",
      ),
    );
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

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
