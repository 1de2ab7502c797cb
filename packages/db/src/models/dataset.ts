import { randomUUID } from "node:crypto";
import { and, asc, count, desc, eq, inArray, sql, type SQL } from "drizzle-orm";
import { InvalidQueryError, NotFoundError } from "../errors.ts";
import type { Session, Tables } from "../engine/session.ts";
import { datasetItems, datasets, type DatasetVariables } from "../schema/tenant/datasets.ts";
import { MAX_PAGE_SIZE, type Page, type RowOf } from "./base-model.ts";
import { IsolatedModel } from "./strategies.ts";
import { assertStorageRoom, formatBytes } from "./storage.ts";
import { containsText } from "./text-search.ts";
import { rowLimit } from "../engine/dialect.ts";

export type DatasetRow = RowOf<typeof datasets>;
export type DatasetItemRow = RowOf<typeof datasetItems>;
export type DatasetWithCount = DatasetRow & { itemCount: number };

/** An item as a caller writes it; the model sets the dataset, the position and the timestamps. */
export interface DatasetItemInput {
  variables: DatasetVariables;
  expectedOutput?: string | null;
  tags?: string[];
}

/**
 * The bytes an item stores, exactly as the storage triggers (tenant migration 0003) count them:
 * the JSON text of its variables and tags, and its expected output.
 */
export function datasetItemBytes(item: DatasetItemInput): number {
  return (
    Buffer.byteLength(JSON.stringify(item.variables)) +
    (item.expectedOutput == null ? 0 : Buffer.byteLength(item.expectedOutput)) +
    Buffer.byteLength(JSON.stringify(item.tags ?? []))
  );
}

export class DatasetModel extends IsolatedModel<typeof datasets> {
  constructor() {
    super(datasets);
  }

  /** Name search (taken literally), most recently changed first, each with its number of items. */
  async listWithCounts(options: { query?: string; page?: number; pageSize?: number } = {}): Promise<Page<DatasetWithCount>> {
    const page = options.page ?? 1;
    const pageSize = Math.min(options.pageSize ?? 20, MAX_PAGE_SIZE);
    const query = options.query?.trim();
    return this.session("datasets.listWithCounts", "read", async ({ db, t }) => {
      const { datasets } = t;
      const where: SQL | undefined = query ? containsText(datasets.name, query) : undefined;
      const [counted] = await db.select({ n: count() }).from(datasets).where(where);
      const total = counted?.n ?? 0;
      const data = await db
        .select({
          ...datasetColumns(t),
          // Qualified by hand: inside the subquery an unqualified "id" would be the item's.
          itemCount: sql<number>`(select count(*) from "dataset_items" where "dataset_items"."dataset_id" = "datasets"."id")`.mapWith(Number),
        })
        .from(datasets)
        .where(where)
        .orderBy(desc(datasets.updatedAt), asc(datasets.id))
        .limit(rowLimit(pageSize))
        .offset((page - 1) * pageSize);
      return { data, total, page, pageSize, totalPages: Math.ceil(total / pageSize) };
    });
  }

  async countItems(datasetId: string): Promise<number> {
    return this.session("datasets.countItems", "read", (s) => countItemsIn(s, datasetId));
  }

  /** Marks the dataset changed (its list order and `updatedBy`) inside an item write's session. */
  async touch({ db, t }: Session, datasetId: string, userId: string | null): Promise<void> {
    await db.update(t.datasets).set({ updatedAt: new Date(), updatedBy: userId }).where(eq(t.datasets.id, datasetId));
  }
}

function datasetColumns({ datasets }: Tables) {
  return {
    id: datasets.id,
    name: datasets.name,
    description: datasets.description,
    createdBy: datasets.createdBy,
    updatedBy: datasets.updatedBy,
    createdAt: datasets.createdAt,
    updatedAt: datasets.updatedAt,
  };
}

export const datasetModel = new DatasetModel();

async function countItemsIn({ db, t }: Session, datasetId: string): Promise<number> {
  const [row] = await db.select({ n: count() }).from(t.datasetItems).where(eq(t.datasetItems.datasetId, datasetId));
  return row?.n ?? 0;
}

/**
 * The items of datasets. Every write that adds bytes checks the plan's storage in the same
 * IMMEDIATE transaction as the write (models/storage.ts), so parallel imports never overshoot.
 */
export class DatasetItemModel extends IsolatedModel<typeof datasetItems> {
  constructor() {
    super(datasetItems);
  }

  /** A page of a dataset's items in position order. */
  async listPage(datasetId: string, options: { page?: number; pageSize?: number } = {}): Promise<Page<DatasetItemRow>> {
    return this.findWithPagination({
      where: { datasetId },
      orderBy: [{ column: "position" }],
      page: options.page,
      pageSize: options.pageSize,
    });
  }

  /** Every item of a dataset in position order (export, batch runs). */
  async listAll(datasetId: string): Promise<DatasetItemRow[]> {
    return this.findMany({ where: { datasetId }, orderBy: [{ column: "position" }] });
  }

  /**
   * Appends `items` after the dataset's last one, all or none: the dataset must exist, keep at
   * most `limits.items` items, and the tenant's stored bytes must stay within `limits.bytes`;
   * checked in the insert's IMMEDIATE transaction, so parallel imports cannot pass either.
   */
  async appendWithinLimits(
    datasetId: string,
    items: readonly DatasetItemInput[],
    limits: { bytes: number; items: number },
    userId: string | null,
  ): Promise<DatasetItemRow[]> {
    const bytes = items.reduce((sum, item) => sum + datasetItemBytes(item), 0);
    return this.session("dataset_items.appendWithinLimits", "write", async (s) => {
      const { datasetItems } = s.t;
      const dataset = await requireDataset(s, datasetId);
      const current = await countItemsIn(s, datasetId);
      if (current + items.length > limits.items) {
        throw new InvalidQueryError(
          `Dataset "${dataset.name}" has ${current} items; adding ${items.length} would pass the limit of ${limits.items} items per dataset.`,
        );
      }
      const what = items.length === 1 ? `Adding this item (${formatBytes(bytes)})` : `Adding these ${items.length} items (${formatBytes(bytes)})`;
      await assertStorageRoom(s, bytes, limits.bytes, what);
      const [last] = await s.db
        .select({ position: sql<number | null>`max(${datasetItems.position})`.mapWith(Number) })
        .from(datasetItems)
        .where(eq(datasetItems.datasetId, datasetId));
      let position = (last?.position ?? -1) + 1;
      const now = new Date();
      const rows: DatasetItemRow[] = [];
      // Bounded chunks: SQLite limits the variables of one statement.
      for (let start = 0; start < items.length; start += 100) {
        const values = items.slice(start, start + 100).map((item) => ({
          id: randomUUID(),
          datasetId,
          position: position++,
          variables: item.variables,
          expectedOutput: item.expectedOutput ?? null,
          tags: item.tags ?? [],
          createdAt: now,
          updatedAt: now,
        }));
        rows.push(...(await s.db.insert(datasetItems).values(values).returning()));
      }
      await datasetModel.touch(s, datasetId, userId);
      return rows;
    });
  }

  /** Changes one item of `datasetId`; growing it checks the plan's storage. Null: no such item. */
  async updateWithinStorage(
    datasetId: string,
    id: string,
    patch: Partial<DatasetItemInput>,
    limitBytes: number,
    userId: string | null,
  ): Promise<DatasetItemRow | null> {
    return this.session("dataset_items.updateWithinStorage", "write", async (s) => {
      const { datasetItems } = s.t;
      const [before] = await s.db
        .select()
        .from(datasetItems)
        .where(and(eq(datasetItems.id, id), eq(datasetItems.datasetId, datasetId)));
      if (!before) return null;
      const after: DatasetItemInput = {
        variables: patch.variables ?? before.variables,
        expectedOutput: patch.expectedOutput === undefined ? before.expectedOutput : patch.expectedOutput,
        tags: patch.tags ?? before.tags,
      };
      const growth = datasetItemBytes(after) - datasetItemBytes(before);
      await assertStorageRoom(s, growth, limitBytes, `Growing this item by ${formatBytes(growth)}`);
      const [row] = await s.db
        .update(datasetItems)
        .set({ variables: after.variables, expectedOutput: after.expectedOutput ?? null, tags: after.tags ?? [], updatedAt: new Date() })
        .where(eq(datasetItems.id, id))
        .returning();
      await datasetModel.touch(s, datasetId, userId);
      return row ?? null;
    });
  }

  /** Deletes the listed items of `datasetId` (ids of other datasets are ignored); returns how many went. */
  async deleteMany(datasetId: string, ids: readonly string[], userId: string | null): Promise<number> {
    if (ids.length === 0) return 0;
    return this.session("dataset_items.deleteMany", "write", async (s) => {
      const { datasetItems } = s.t;
      let deleted = 0;
      for (let start = 0; start < ids.length; start += 500) {
        const chunk = ids.slice(start, start + 500);
        const gone = await s.db
          .delete(datasetItems)
          .where(and(eq(datasetItems.datasetId, datasetId), inArray(datasetItems.id, chunk)))
          .returning({ id: datasetItems.id });
        deleted += gone.length;
      }
      if (deleted > 0) await datasetModel.touch(s, datasetId, userId);
      return deleted;
    });
  }
}

export const datasetItemModel = new DatasetItemModel();

async function requireDataset({ db, t }: Session, datasetId: string): Promise<{ name: string }> {
  const [found] = await db.select({ name: t.datasets.name }).from(t.datasets).where(eq(t.datasets.id, datasetId));
  if (!found) throw new NotFoundError(`Dataset ${datasetId} does not exist.`);
  return found;
}
