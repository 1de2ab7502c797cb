import { createHash } from "node:crypto";
import { asc, count, desc, eq, sql, type SQL } from "drizzle-orm";
import { files } from "../schema/tenant/files.ts";
import { MAX_PAGE_SIZE, type Page, type RowOf } from "./base-model.ts";
import { containsText } from "./text-search.ts";
import { IsolatedModel } from "./strategies.ts";
import { assertStorageRoom, formatBytes } from "./storage.ts";

export type FileRow = RowOf<typeof files>;
/** What clients see of a file: everything but the bytes. */
export type FileMetadata = Omit<FileRow, "content">;

const METADATA_COLUMNS = {
  id: files.id,
  name: files.name,
  mimeType: files.mimeType,
  size: files.size,
  sha256: files.sha256,
  uploadedBy: files.uploadedBy,
  tags: files.tags,
  createdAt: files.createdAt,
  updatedAt: files.updatedAt,
};
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
          // Files and dataset items share the plan's storage (models/storage.ts).
          assertStorageRoom(tx, size, limitBytes, `Storing ${formatBytes(size)}`);
          return this.createSync({ ...data, size, sha256: createHash("sha256").update(data.content).digest("hex") });
        },
        "immediate",
      ),
    );
  }

  /** A page of files without their bytes (listing 20 files of 10 MB must not read 200 MB). */
  async listMetadata(options: { query?: string; page?: number; pageSize?: number } = {}): Promise<Page<FileMetadata>> {
    const page = options.page ?? 1;
    const pageSize = Math.min(options.pageSize ?? 20, MAX_PAGE_SIZE);
    const query = options.query?.trim();
    const where: SQL | undefined = query ? containsText(files.name, query) : undefined;
    return this.withDatabase("files.listMetadata", (db) =>
      this.transaction(
        db,
        (tx) => {
          const total = tx.select({ n: count() }).from(files).where(where).get()?.n ?? 0;
          const data = tx
            .select(METADATA_COLUMNS)
            .from(files)
            .where(where)
            .orderBy(desc(files.createdAt), asc(files.id))
            .limit(pageSize)
            .offset((page - 1) * pageSize)
            .all();
          return { data, total, page, pageSize, totalPages: Math.ceil(total / pageSize) };
        },
        "deferred",
      ),
    );
  }

  /** One file's metadata, without its bytes. */
  async findMetadata(id: string): Promise<FileMetadata | null> {
    return this.withDatabase("files.findMetadata", (db) => db.select(METADATA_COLUMNS).from(files).where(eq(files.id, id)).get() ?? null);
  }

  /** Sum of stored bytes (the storage quota's current use). */
  async totalBytes(): Promise<number> {
    return this.withDatabase("files.totalBytes", (db) => {
      const row = db
        .select({ bytes: sql<number>`coalesce(sum(${files.size}), 0)` })
        .from(files)
        .get();
      return row?.bytes ?? 0;
    });
  }
}

export const fileModel = new FileModel();
