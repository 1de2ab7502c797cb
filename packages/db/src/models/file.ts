import { createHash } from "node:crypto";
import { asc, count, desc, eq, sql, type SQL } from "drizzle-orm";
import type { Tables } from "../engine/session.ts";
import { files } from "../schema/tenant/files.ts";
import { MAX_PAGE_SIZE, type Page, type RowOf } from "./base-model.ts";
import { containsText } from "./text-search.ts";
import { IsolatedModel } from "./strategies.ts";
import { assertStorageRoom, formatBytes } from "./storage.ts";
import { rowLimit } from "../engine/dialect.ts";

export type FileRow = RowOf<typeof files>;
/** What clients see of a file: everything but the bytes. */
export type FileMetadata = Omit<FileRow, "content">;

const metadataColumns = ({ files }: Tables) => ({
  id: files.id,
  name: files.name,
  mimeType: files.mimeType,
  size: files.size,
  sha256: files.sha256,
  uploadedBy: files.uploadedBy,
  tags: files.tags,
  createdAt: files.createdAt,
  updatedAt: files.updatedAt,
});
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
    return this.session("files.storeWithinQuota", "write", async (s) => {
      // Files and dataset items share the plan's storage (models/storage.ts).
      await assertStorageRoom(s, size, limitBytes, `Storing ${formatBytes(size)}`);
      return this.insertRow(s, { ...data, size, sha256: createHash("sha256").update(data.content).digest("hex") });
    });
  }

  /** A page of files without their bytes (listing 20 files of 10 MB must not read 200 MB). */
  async listMetadata(options: { query?: string; page?: number; pageSize?: number } = {}): Promise<Page<FileMetadata>> {
    const page = options.page ?? 1;
    const pageSize = Math.min(options.pageSize ?? 20, MAX_PAGE_SIZE);
    const query = options.query?.trim();
    return this.session("files.listMetadata", "read", async ({ db, t }) => {
      const where: SQL | undefined = query ? containsText(t.files.name, query) : undefined;
      const [counted] = await db.select({ n: count() }).from(t.files).where(where);
      const total = counted?.n ?? 0;
      const data = await db
        .select(metadataColumns(t))
        .from(t.files)
        .where(where)
        .orderBy(desc(t.files.createdAt), asc(t.files.id))
        .limit(rowLimit(pageSize))
        .offset((page - 1) * pageSize);
      return { data, total, page, pageSize, totalPages: Math.ceil(total / pageSize) };
    });
  }

  /** One file's metadata, without its bytes. */
  async findMetadata(id: string): Promise<FileMetadata | null> {
    return this.session("files.findMetadata", "read", async ({ db, t }) => {
      const [row] = await db.select(metadataColumns(t)).from(t.files).where(eq(t.files.id, id));
      return row ?? null;
    });
  }

  /** Sum of stored bytes (the storage quota's current use). */
  async totalBytes(): Promise<number> {
    return this.session("files.totalBytes", "read", async ({ db, t }) => {
      const [row] = await db.select({ bytes: sql<number>`coalesce(sum(${t.files.size}), 0)`.mapWith(Number) }).from(t.files);
      return row?.bytes ?? 0;
    });
  }
}

export const fileModel = new FileModel();
