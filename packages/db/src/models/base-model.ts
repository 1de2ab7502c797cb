import { randomUUID } from "node:crypto";
import { and, asc, count as countRows, desc, eq, getTableColumns, getTableName, isNull, sql, type SQL } from "drizzle-orm";
import type { SQLiteColumn, SQLiteTable } from "drizzle-orm/sqlite-core";
import { compiled } from "../engine/compiled.ts";
import { rowLimit } from "../engine/dialect.ts";
import type { Session, SessionMode, Tables } from "../engine/session.ts";
import { sqliteTables } from "../engine/tables.ts";
import { ConflictError, InvalidQueryError, isForeignKeyViolation, isUniqueViolation } from "../errors.ts";

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

export const MAX_PAGE_SIZE = 500;
/** Fields the model layer owns: a caller never sets them (SharedModel adds tenantId). */
const MANAGED_FIELDS = new Set(["id", "createdAt", "updatedAt"]);

/**
 * The seed's CRUD surface over a Drizzle table. Every method is async and every call is one
 * session (one transaction) on the store the strategy chooses: the same body runs on SQLite and
 * PostgreSQL (docs/architecture.md, "One model body, two engines").
 *
 * Subclasses choose the strategy: which store (`session`), which rows are visible (`scope`) and
 * what is added on insert (`ownedValues`). Queries name tables through the session's `t`, never
 * through the schema modules: each engine has its own table objects.
 */
export abstract class Model<
  T extends ModelTable,
  TCreate extends object = Omit<T["$inferInsert"], "id" | "createdAt" | "updatedAt">,
  TFilter extends object = Partial<RowOf<T>>,
> {
  /** The table's name in `Tables` (its export name), to find the engine's twin. */
  private readonly tableKey: keyof Tables;

  constructor(protected readonly table: T) {
    const key = (Object.keys(sqliteTables) as (keyof Tables)[]).find((name) => sqliteTables[name] === (table as unknown));
    if (key === undefined) throw new InvalidQueryError(`${getTableName(table)} is not one of Sigil's tables.`);
    this.tableKey = key;
  }

  get tableName(): string {
    return getTableName(this.table);
  }

  /** Runs `fn` in one session on the store this model's rows live in. */
  protected abstract session<R>(operation: string, mode: SessionMode, fn: (session: Session) => Promise<R>): Promise<R>;
  /** The condition every read, update, delete and count is limited to (tenant scope). */
  protected scope(_t: T): SQL | undefined {
    return undefined;
  }
  /** Values the strategy adds to every insert (tenant_id for shared models). */
  protected ownedValues(): Record<string, unknown> {
    return {};
  }
  /** Called inside the insert's session (e.g. the first prompt version). */
  protected async afterCreate(_session: Session, _row: RowOf<T>): Promise<void> {}
  /** Called inside the update's session with the row before and after. */
  protected async afterUpdate(_session: Session, _before: RowOf<T>, _after: RowOf<T>): Promise<void> {}

  /** This model's table in the session's engine. */
  protected tableIn(session: Session): T {
    return session.t[this.tableKey] as unknown as T;
  }

  async create(data: TCreate): Promise<RowOf<T>> {
    return this.session(`${this.tableName}.create`, "write", (session) => this.insertRow(session, data));
  }

  async findById(id: string): Promise<RowOf<T> | null> {
    return this.session(`${this.tableName}.findById`, "read", async (session) => (await this.selectById(session, id)) ?? null);
  }

  async findOne(where: Where<T, TFilter>): Promise<RowOf<T> | null> {
    const rows = await this.findMany({ where, limit: 1 });
    return rows[0] ?? null;
  }

  async findMany(options: FindManyOptions<T, TFilter, RowOf<T>> = {}): Promise<RowOf<T>[]> {
    return this.session(`${this.tableName}.findMany`, "read", (session) => this.selectMany(session, options));
  }

  async findWithPagination(options: PaginationOptions<T, TFilter, RowOf<T>> = {}): Promise<Page<RowOf<T>>> {
    const page = options.page ?? 1;
    const pageSize = options.pageSize ?? 20;
    assertWholeNumber("page", page, 1);
    assertWholeNumber("pageSize", pageSize, 1, MAX_PAGE_SIZE);
    const offset = (page - 1) * pageSize;
    // One read session: the count and the page see the same snapshot.
    return this.session(`${this.tableName}.findWithPagination`, "read", async (session) => {
      const table = this.tableIn(session);
      const condition = this.condition(table, this.whereToSql(table, options.where));
      // An unfiltered, unscoped listing (a tenant's prompts, executions… on every list request) runs compiled queries.
      const total = condition === undefined ? await this.compiledCount(session) : await this.countWhere(session, condition);
      const data =
        condition === undefined
          ? await this.compiledPage(session, options.orderBy, pageSize, offset)
          : await this.selectWhere(session, condition, { orderBy: options.orderBy, limit: pageSize, offset });
      return { data, total, page, pageSize, totalPages: Math.ceil(total / pageSize) };
    });
  }

  async update(id: string, patch: Partial<TCreate>): Promise<RowOf<T> | null> {
    return this.session(`${this.tableName}.update`, "write", (session) => this.updateRow(session, id, patch));
  }

  async delete(id: string): Promise<boolean> {
    return this.session(`${this.tableName}.delete`, "write", async (session) => {
      const table = this.tableIn(session);
      const deleted = await session.db
        .delete(table)
        .where(this.condition(table, eq(table.id, id)))
        .returning({ id: table.id });
      return deleted.length > 0;
    });
  }

  async count(where?: Where<T, TFilter>): Promise<number> {
    return this.session(`${this.tableName}.count`, "read", (session) => this.countIn(session, where));
  }

  // ---- building blocks for subclasses (usable inside one session) ----

  /** Inserts a row (with the strategy's owned values) and runs afterCreate, in `session`. */
  protected async insertRow(session: Session, data: TCreate): Promise<RowOf<T>> {
    const values = this.insertValues(data);
    const table = this.tableIn(session);
    const [row] = (await this.translateConflict(() =>
      session.db
        .insert(table)
        .values(values as T["$inferInsert"])
        .returning(),
    )) as RowOf<T>[];
    if (!row) throw new InvalidQueryError(`${this.tableName}: the insert returned no row.`);
    await this.afterCreate(session, row);
    return row;
  }

  /** Updates a row in scope and runs afterUpdate, in `session`; null if there is no such row. */
  protected async updateRow(session: Session, id: string, patch: Partial<TCreate>): Promise<RowOf<T> | null> {
    const changes = this.patchValues(patch);
    const table = this.tableIn(session);
    const before = await this.selectById(session, id);
    if (!before) return null;
    const [after] = (await this.translateConflict(() =>
      session.db
        .update(table)
        .set(changes)
        .where(this.condition(table, eq(table.id, id)))
        .returning(),
    )) as RowOf<T>[];
    if (!after) return null;
    await this.afterUpdate(session, before, after);
    return after;
  }

  /** The row with this id in scope. No LIMIT: the id is the primary key (and a bound LIMIT costs, engine/dialect.ts rowLimit). */
  protected async selectById(session: Session, id: string): Promise<RowOf<T> | undefined> {
    if (typeof id !== "string") throw new InvalidQueryError(`${this.tableName}: id must be a string.`);
    const table = this.tableIn(session);
    if (this.scope(table) === undefined) {
      // Unscoped (a tenant's own store, the registry): compiled once per connection, as every
      // request that names a row reads it. A scoped read is built per call: its scope is a value.
      const query = compiled(session, `${this.tableName}.byId`, () =>
        session.db
          .select()
          .from(table as SQLiteTable)
          .where(eq(table.id, sql.placeholder("id"))),
      );
      const [row] = await query.execute({ id });
      return row;
    }
    const [row] = await session.db
      .select()
      .from(table as SQLiteTable)
      .where(this.condition(table, eq(table.id, id)));
    return row;
  }

  protected async selectMany(session: Session, options: FindManyOptions<T, TFilter, RowOf<T>>): Promise<RowOf<T>[]> {
    const table = this.tableIn(session);
    return this.selectWhere(session, this.condition(table, this.whereToSql(table, options.where)), options);
  }

  /** selectMany with its condition (scope included) already built. */
  private async selectWhere(
    session: Session,
    condition: SQL | undefined,
    options: Pick<FindManyOptions<T, TFilter, RowOf<T>>, "orderBy" | "limit" | "offset">,
  ): Promise<RowOf<T>[]> {
    const table = this.tableIn(session);
    let query = session.db
      .select()
      .from(table as SQLiteTable)
      .where(condition)
      .orderBy(...this.orderToSql(table, options.orderBy))
      .$dynamic();
    if (options.limit !== undefined) {
      assertWholeNumber("limit", options.limit, 0);
      query = query.limit(rowLimit(options.limit));
    }
    if (options.offset !== undefined) {
      assertWholeNumber("offset", options.offset, 0);
      // SQLite accepts OFFSET only after a LIMIT; "no limit" in a form both engines accept.
      query = query.offset(options.offset).limit(rowLimit(options.limit ?? Number.MAX_SAFE_INTEGER));
    }
    return await query;
  }

  private async compiledCount(session: Session): Promise<number> {
    const table = this.tableIn(session) as SQLiteTable;
    const query = compiled(session, `${this.tableName}.count`, () => session.db.select({ value: countRows() }).from(table));
    const [row] = await query.execute();
    return row?.value ?? 0;
  }

  private async compiledPage(
    session: Session,
    orderBy: OrderBy<RowOf<T>> | OrderBy<RowOf<T>>[] | undefined,
    limit: number,
    offset: number,
  ): Promise<RowOf<T>[]> {
    const table = this.tableIn(session);
    const key = `${this.tableName}.page:${JSON.stringify(orderBy ?? null)}`;
    const query = compiled(session, key, () =>
      session.db
        .select()
        .from(table as SQLiteTable)
        .orderBy(...this.orderToSql(table, orderBy))
        .limit(rowLimit(sql.placeholder("limit")))
        .offset(sql.placeholder("offset")),
    );
    return await query.execute({ limit, offset });
  }

  protected async countIn(session: Session, where: Where<T, TFilter> | undefined): Promise<number> {
    const table = this.tableIn(session);
    return this.countWhere(session, this.condition(table, this.whereToSql(table, where)));
  }

  /** countIn with its condition (scope included) already built. */
  private async countWhere(session: Session, condition: SQL | undefined): Promise<number> {
    const [row] = await session.db
      .select({ value: countRows() })
      .from(this.tableIn(session) as SQLiteTable)
      .where(condition);
    return row?.value ?? 0;
  }

  /** ANDs a condition with the strategy's scope; the scope can never be dropped or replaced. */
  protected condition(table: T, extra: SQL | undefined): SQL | undefined {
    const scope = this.scope(table);
    if (scope && extra) return and(scope, extra);
    return scope ?? extra;
  }

  protected column(name: string, table: T = this.table): SQLiteColumn {
    const column = (getTableColumns(table) as Record<string, SQLiteColumn>)[name];
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

  private whereToSql(table: T, where: Where<T, TFilter> | undefined): SQL | undefined {
    if (where === undefined) return undefined;
    if (typeof where === "function") return where(table);
    if (where === null || typeof where !== "object") throw new InvalidQueryError(`${this.tableName}: where must be an object.`);
    this.assertCallerFields(where, "filter");
    const conditions = Object.entries(where).map(([key, value]) => {
      const column = this.column(key, table);
      // An undefined filter value would silently match every row: refuse it.
      if (value === undefined) throw new InvalidQueryError(`${this.tableName}: where.${key} is undefined.`);
      return value === null ? isNull(column) : eq(column, value);
    });
    return conditions.length === 0 ? undefined : and(...conditions);
  }

  private orderToSql(table: T, orderBy: OrderBy<RowOf<T>> | OrderBy<RowOf<T>>[] | undefined): SQL[] {
    const list = orderBy === undefined ? [] : Array.isArray(orderBy) ? orderBy : [orderBy];
    const terms = list.map(({ column, direction = "asc" }) => {
      if (direction !== "asc" && direction !== "desc") throw new InvalidQueryError(`orderBy direction must be asc or desc.`);
      return direction === "asc" ? asc(this.column(column, table)) : desc(this.column(column, table));
    });
    // A stable tiebreaker so pagination never repeats or skips rows.
    terms.push(asc(table.id));
    return terms;
  }

  private async translateConflict<R>(fn: () => Promise<R>): Promise<R> {
    try {
      return await fn();
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

function assertWholeNumber(name: string, value: number, min: number, max = Number.MAX_SAFE_INTEGER): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new InvalidQueryError(`${name} must be a whole number from ${min} to ${max}; got ${String(value)}.`);
  }
}
