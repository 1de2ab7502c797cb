import { randomUUID } from "node:crypto";
import { and, asc, count as countRows, desc, eq, getTableColumns, getTableName, isNull, sql, type SQL } from "drizzle-orm";
import type { BaseSQLiteDatabase, SQLiteColumn, SQLiteTable } from "drizzle-orm/sqlite-core";
import { AsyncTransactionError, ConflictError, InvalidQueryError, isForeignKeyViolation, isUniqueViolation } from "../errors.ts";

/** The synchronous Drizzle database both shared.sqlite and tenant files are accessed through. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the schema generic is irrelevant to table-level queries
export type SyncDatabase = BaseSQLiteDatabase<"sync", unknown, any>;

export type ModelTable = SQLiteTable & { id: SQLiteColumn; createdAt: SQLiteColumn };
export type RowOf<T extends ModelTable> = T["$inferSelect"];

/** An equality filter (`null` means IS NULL) or a Drizzle condition built from the table's columns. */
export type Where<T extends ModelTable, TFilter> = TFilter | ((table: T) => SQL | undefined);
export interface OrderBy<TRow> {
  column: keyof TRow & string;
  direction?: "asc" | "desc";
}
export interface FindManyOptions<T extends ModelTable, TFilter, TRow> {
  where?: Where<T, TFilter>;
  orderBy?: OrderBy<TRow> | OrderBy<TRow>[];
  limit?: number;
  offset?: number;
}
export interface PaginationOptions<T extends ModelTable, TFilter, TRow> {
  where?: Where<T, TFilter>;
  orderBy?: OrderBy<TRow> | OrderBy<TRow>[];
  page?: number;
  pageSize?: number;
}
export interface Page<TRow> {
  data: TRow[];
  total: number;
  page: number;
  pageSize: number;
  totalPages: number;
}

interface PageQueries<TRow> {
  count: { get(): { value: number } | undefined };
  page: { all(values: { limit: number; offset: number }): TRow[] };
}

export const MAX_PAGE_SIZE = 500;
/** Fields the model layer owns: a caller never sets them (SharedModel adds tenantId). */
const MANAGED_FIELDS = new Set(["id", "createdAt", "updatedAt"]);

/**
 * The seed's CRUD surface over a Drizzle table. Public methods are async so a remote driver
 * (libSQL) can replace better-sqlite3 later; inside, every query is synchronous and every
 * multi-statement change runs in a synchronous transaction (docs/architecture.md: Synchronous transactions).
 *
 * Subclasses choose the strategy: which database (`withDatabase`), which rows are visible
 * (`scope`) and what is added on insert (`ownedValues`).
 */
export abstract class Model<
  T extends ModelTable,
  TCreate extends object = Omit<T["$inferInsert"], "id" | "createdAt" | "updatedAt">,
  TFilter extends object = Partial<RowOf<T>>,
> {
  constructor(protected readonly table: T) {}

  /** See unfilteredPageQueries; per Drizzle database (one per open connection), then per ordering. */
  private readonly pageQueries = new WeakMap<SyncDatabase, Map<string, PageQueries<RowOf<T>>>>();

  get tableName(): string {
    return getTableName(this.table);
  }

  /** Runs a synchronous function against the database this model's rows live in. */
  protected abstract withDatabase<R>(operation: string, fn: (db: SyncDatabase) => R): R;
  /** The condition every read, update, delete and count is limited to (tenant scope). */
  protected scope(): SQL | undefined {
    return undefined;
  }
  /** Values the strategy adds to every insert (tenant_id for shared models). */
  protected ownedValues(): Record<string, unknown> {
    return {};
  }
  /** Called inside the insert's transaction (e.g. the first prompt version). */
  protected afterCreate(_tx: SyncDatabase, _row: RowOf<T>): void {}
  /** Called inside the update's transaction with the row before and after. */
  protected afterUpdate(_tx: SyncDatabase, _before: RowOf<T>, _after: RowOf<T>): void {}

  async create(data: TCreate): Promise<RowOf<T>> {
    return this.createSync(data);
  }

  async findById(id: string): Promise<RowOf<T> | null> {
    return this.withDatabase(`${this.tableName}.findById`, (db) => this.selectById(db, id) ?? null);
  }

  async findOne(where: Where<T, TFilter>): Promise<RowOf<T> | null> {
    const rows = await this.findMany({ where, limit: 1 });
    return rows[0] ?? null;
  }

  async findMany(options: FindManyOptions<T, TFilter, RowOf<T>> = {}): Promise<RowOf<T>[]> {
    return this.withDatabase(`${this.tableName}.findMany`, (db) => this.selectMany(db, options));
  }

  async findWithPagination(options: PaginationOptions<T, TFilter, RowOf<T>> = {}): Promise<Page<RowOf<T>>> {
    const page = options.page ?? 1;
    const pageSize = options.pageSize ?? 20;
    assertWholeNumber("page", page, 1);
    assertWholeNumber("pageSize", pageSize, 1, MAX_PAGE_SIZE);
    const offset = (page - 1) * pageSize;
    return this.withDatabase(`${this.tableName}.findWithPagination`, (db) =>
      db.transaction((tx) => {
        const unfiltered = this.condition(this.whereToSql(options.where)) === undefined ? this.unfilteredPageQueries(db, options.orderBy) : null;
        // The prepared statements run on the same connection, inside this transaction.
        const total = unfiltered ? (unfiltered.count.get()?.value ?? 0) : this.countSync(tx, options.where);
        const data = unfiltered
          ? unfiltered.page.all({ limit: pageSize, offset })
          : this.selectMany(tx, { where: options.where, orderBy: options.orderBy, limit: pageSize, offset });
        return { data, total, page, pageSize, totalPages: Math.ceil(total / pageSize) };
      }),
    );
  }

  /**
   * The count and page queries of an unfiltered, unscoped listing (a tenant file's prompts,
   * executions… on every list request), built and compiled once per connection and ordering
   * instead of on each call.
   */
  private unfilteredPageQueries(db: SyncDatabase, orderBy: OrderBy<RowOf<T>> | OrderBy<RowOf<T>>[] | undefined): PageQueries<RowOf<T>> {
    let byOrder = this.pageQueries.get(db);
    if (!byOrder) {
      byOrder = new Map();
      this.pageQueries.set(db, byOrder);
    }
    const key = JSON.stringify(orderBy ?? null);
    let queries = byOrder.get(key);
    if (!queries) {
      const table = this.table as SQLiteTable;
      queries = {
        count: db.select({ value: countRows() }).from(table).prepare(),
        page: db
          .select()
          .from(table)
          .orderBy(...this.orderToSql(orderBy))
          .limit(sql.placeholder("limit"))
          .offset(sql.placeholder("offset"))
          .prepare(),
      };
      byOrder.set(key, queries);
    }
    return queries;
  }

  async update(id: string, patch: Partial<TCreate>): Promise<RowOf<T> | null> {
    return this.updateSync(id, patch);
  }

  async delete(id: string): Promise<boolean> {
    return this.withDatabase(`${this.tableName}.delete`, (db) => {
      const result = db
        .delete(this.table)
        .where(this.condition(eq(this.table.id, id)))
        .run() as { changes: number };
      return result.changes > 0;
    });
  }

  async count(where?: Where<T, TFilter>): Promise<number> {
    return this.withDatabase(`${this.tableName}.count`, (db) => this.countSync(db, where));
  }

  // ---- synchronous building blocks for subclasses (usable inside one transaction) ----

  protected createSync(data: TCreate): RowOf<T> {
    const values = this.insertValues(data);
    return this.withDatabase(`${this.tableName}.create`, (db) =>
      this.transaction(db, (tx) => {
        const row = this.translateConflict(() =>
          tx
            .insert(this.table)
            .values(values as T["$inferInsert"])
            .returning()
            .get(),
        ) as RowOf<T>;
        this.afterCreate(tx, row);
        return row;
      }),
    );
  }

  protected updateSync(id: string, patch: Partial<TCreate>): RowOf<T> | null {
    const changes = this.patchValues(patch);
    return this.withDatabase(`${this.tableName}.update`, (db) =>
      this.transaction(db, (tx) => {
        const before = this.selectById(tx, id);
        if (!before) return null;
        const after = this.translateConflict(() =>
          tx
            .update(this.table)
            .set(changes)
            .where(this.condition(eq(this.table.id, id)))
            .returning()
            .get(),
        ) as RowOf<T> | undefined;
        if (!after) return null;
        this.afterUpdate(tx, before, after);
        return after;
      }),
    );
  }

  protected selectById(db: SyncDatabase, id: string): RowOf<T> | undefined {
    if (typeof id !== "string") throw new InvalidQueryError(`${this.tableName}: id must be a string.`);
    return db
      .select()
      .from(this.table as SQLiteTable)
      .where(this.condition(eq(this.table.id, id)))
      .get();
  }

  protected selectMany(db: SyncDatabase, options: FindManyOptions<T, TFilter, RowOf<T>>): RowOf<T>[] {
    let query = db
      .select()
      .from(this.table as SQLiteTable)
      .where(this.condition(this.whereToSql(options.where)))
      .orderBy(...this.orderToSql(options.orderBy))
      .$dynamic();
    if (options.limit !== undefined) {
      assertWholeNumber("limit", options.limit, 0);
      query = query.limit(options.limit);
    }
    if (options.offset !== undefined) {
      assertWholeNumber("offset", options.offset, 0);
      query = query.offset(options.offset).limit(options.limit ?? -1);
    }
    return query.all();
  }

  protected countSync(db: SyncDatabase, where: Where<T, TFilter> | undefined): number {
    const row = db
      .select({ value: countRows() })
      .from(this.table as SQLiteTable)
      .where(this.condition(this.whereToSql(where)))
      .get();
    return row?.value ?? 0;
  }

  /** ANDs a condition with the strategy's scope; the scope can never be dropped or replaced. */
  protected condition(extra: SQL | undefined): SQL | undefined {
    const scope = this.scope();
    if (scope && extra) return and(scope, extra);
    return scope ?? extra;
  }

  /**
   * Runs `fn` in a synchronous transaction and refuses async callbacks before they can commit.
   * IMMEDIATE by default: a DEFERRED transaction that reads and then writes fails at once with
   * SQLITE_BUSY_SNAPSHOT ("database is locked", the busy timeout does not apply) when another
   * process (the web server, the worker) committed in between. Pass "deferred" only for reads.
   */
  protected transaction<R>(db: SyncDatabase, fn: (tx: SyncDatabase) => R, behavior: "deferred" | "immediate" = "immediate"): R {
    return db.transaction(
      (tx) => {
        const guarded = liveOnlyWhileSynchronous(tx);
        try {
          const result = fn(guarded.tx);
          if (isPromiseLike(result)) throw new AsyncTransactionError();
          return result;
        } finally {
          // Code after an `await` inside the callback would run outside the transaction: refuse it.
          guarded.end();
        }
      },
      { behavior },
    );
  }

  protected column(name: string): SQLiteColumn {
    const column = (getTableColumns(this.table) as Record<string, SQLiteColumn>)[name];
    if (!column) throw new InvalidQueryError(`${this.tableName} has no field "${name}".`);
    return column;
  }

  /** Hook for subclasses that must refuse caller-provided fields (tenant_id, derived counters). */
  protected assertCallerFields(_fields: object, _use: "write" | "filter"): void {}

  private insertValues(data: TCreate): Record<string, unknown> {
    this.assertCallerFields(data, "write");
    for (const key of Object.keys(data)) {
      if (MANAGED_FIELDS.has(key)) throw new InvalidQueryError(`${this.tableName}: "${key}" is set by Sigil, not by the caller.`);
      this.column(key);
    }
    const now = new Date();
    const timestamps: Record<string, Date> = { createdAt: now };
    if ("updatedAt" in getTableColumns(this.table)) timestamps.updatedAt = now;
    return { ...data, ...this.ownedValues(), id: randomUUID(), ...timestamps };
  }

  private patchValues(patch: Partial<TCreate>): Record<string, unknown> {
    this.assertCallerFields(patch, "write");
    const changes: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(patch)) {
      if (MANAGED_FIELDS.has(key)) throw new InvalidQueryError(`${this.tableName}: "${key}" cannot be changed.`);
      this.column(key);
      if (value !== undefined) changes[key] = value;
    }
    if ("updatedAt" in getTableColumns(this.table)) changes.updatedAt = new Date();
    return changes;
  }

  private whereToSql(where: Where<T, TFilter> | undefined): SQL | undefined {
    if (where === undefined) return undefined;
    if (typeof where === "function") return where(this.table);
    if (where === null || typeof where !== "object") throw new InvalidQueryError(`${this.tableName}: where must be an object.`);
    this.assertCallerFields(where, "filter");
    const conditions = Object.entries(where).map(([key, value]) => {
      const column = this.column(key);
      // An undefined filter value would silently match every row: refuse it.
      if (value === undefined) throw new InvalidQueryError(`${this.tableName}: where.${key} is undefined.`);
      return value === null ? isNull(column) : eq(column, value);
    });
    return conditions.length === 0 ? undefined : and(...conditions);
  }

  private orderToSql(orderBy: OrderBy<RowOf<T>> | OrderBy<RowOf<T>>[] | undefined): SQL[] {
    const list = orderBy === undefined ? [] : Array.isArray(orderBy) ? orderBy : [orderBy];
    const terms = list.map(({ column, direction = "asc" }) => {
      if (direction !== "asc" && direction !== "desc") throw new InvalidQueryError(`orderBy direction must be asc or desc.`);
      return direction === "asc" ? asc(this.column(column)) : desc(this.column(column));
    });
    // A stable tiebreaker so pagination never repeats or skips rows.
    terms.push(asc(this.table.id));
    return terms;
  }

  private translateConflict<R>(fn: () => R): R {
    try {
      return fn();
    } catch (error) {
      if (isUniqueViolation(error)) {
        // The message names the table only: never another row's (or tenant's) values.
        throw new ConflictError(`A ${this.tableName.replace(/_/g, " ")} entry with these values already exists.`, {
          cause: error,
        });
      }
      if (isForeignKeyViolation(error)) {
        // Something this row refers to (a prompt, a deployment) was deleted by a concurrent request.
        throw new ConflictError(
          `This ${this.tableName.replace(/_/g, " ").replace(/s$/, "")} refers to something that was deleted meanwhile; nothing was saved. Reload and try again.`,
          { cause: error },
        );
      }
      throw error;
    }
  }
}

/** Wraps a transaction handle so any use after the synchronous callback returned throws. */
function liveOnlyWhileSynchronous(tx: SyncDatabase): { tx: SyncDatabase; end: () => void } {
  let live = true;
  const proxy = new Proxy(tx, {
    get(target, property) {
      if (!live) throw new AsyncTransactionError();
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === "function" ? (value.bind(target) as unknown) : value;
    },
  });
  return { tx: proxy, end: () => (live = false) };
}

function isPromiseLike(value: unknown): boolean {
  return typeof value === "object" && value !== null && typeof (value as { then?: unknown }).then === "function";
}

function assertWholeNumber(name: string, value: number, min: number, max = Number.MAX_SAFE_INTEGER): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new InvalidQueryError(`${name} must be a whole number from ${min} to ${max}; got ${String(value)}.`);
  }
}
