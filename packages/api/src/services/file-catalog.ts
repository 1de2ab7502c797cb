import { FileModel, files, MAX_PAGE_SIZE, type FileRow, type Page } from "@sigil/db";
import { asc, count, desc, eq, type SQL } from "drizzle-orm";
import { containsText } from "./sql-patterns.ts";

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

/**
 * File metadata queries that never read the `content` blob. The base model's `findWithPagination`
 * selects every column, so listing 20 files of 10 MB would read 200 MB to return a few KB.
 *
 * This extends the db package's FileModel (same tenant database, same tenant context through the
 * inherited `withDatabase`); it belongs in `packages/db/src/models/file.ts` and should move there.
 */
class FileCatalog extends FileModel {
  async listMetadata(options: { query?: string | undefined; page: number; pageSize: number }): Promise<Page<FileMetadata>> {
    const { page, pageSize } = options;
    const pageSizeCapped = Math.min(pageSize, MAX_PAGE_SIZE);
    const query = options.query?.trim();
    const where: SQL | undefined = query ? containsText(files.name, query) : undefined;
    return this.withDatabase("files.listMetadata", (db) =>
      this.transaction(db, (tx) => {
        const total = tx.select({ n: count() }).from(files).where(where).get()?.n ?? 0;
        const data = tx
          .select(METADATA_COLUMNS)
          .from(files)
          .where(where)
          .orderBy(desc(files.createdAt), asc(files.id))
          .limit(pageSizeCapped)
          .offset((page - 1) * pageSizeCapped)
          .all();
        return { data, total, page, pageSize: pageSizeCapped, totalPages: Math.ceil(total / pageSizeCapped) };
      }),
    );
  }

  async findMetadata(id: string): Promise<FileMetadata | null> {
    return this.withDatabase("files.findMetadata", (db) => db.select(METADATA_COLUMNS).from(files).where(eq(files.id, id)).get() ?? null);
  }
}

export const fileCatalog = new FileCatalog();

/** Strips the bytes from a full row (after an upload, which returns the stored row). */
export function toFileMetadata(row: FileRow): FileMetadata {
  const { content: _content, ...metadata } = row;
  return metadata;
}

