import { asc, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/node-postgres";
import { integer, pgTable, text } from "drizzle-orm/pg-core";
import type pg from "pg";
import { afterAll, beforeAll, expect, test } from "vitest";
import { rowLimit } from "../../src/engine/dialect.ts";
import { createTestDatabase, type TestDatabase } from "../support/postgres-database.ts";

/**
 * rowLimit (src/engine/dialect.ts) on PostgreSQL: the models put it in every LIMIT, compiled
 * queries included, so it must bind the same way there (a number, a placeholder, and the
 * "no limit" of an offset without a limit, beyond PostgreSQL's 32-bit integer).
 */
const items = pgTable("items", { id: integer("id").primaryKey(), body: text("body").notNull() });

let database: TestDatabase;
let admin: pg.Client;

beforeAll(async () => {
  database = await createTestDatabase();
  admin = await database.admin();
  await admin.query("CREATE TABLE items (id integer PRIMARY KEY, body text NOT NULL)");
  await admin.query("INSERT INTO items (id, body) SELECT n, 'item ' || n FROM generate_series(1, 30) AS n");
});
afterAll(async () => database.drop());

const idsOf = (rows: { id: number }[]) => rows.map((row) => row.id);

test("a LIMIT from rowLimit binds a number, a placeholder of a prepared query, and the largest safe integer", async () => {
  const db = drizzle({ client: admin });
  expect(idsOf(await db.select().from(items).orderBy(asc(items.id)).limit(rowLimit(3)))).toEqual([1, 2, 3]);

  const page = db
    .select()
    .from(items)
    .orderBy(asc(items.id))
    .limit(rowLimit(sql.placeholder("limit")))
    .offset(sql.placeholder("offset"))
    .prepare("row_limit_page");
  expect(idsOf(await page.execute({ limit: 5, offset: 0 }))).toEqual([1, 2, 3, 4, 5]);
  expect(idsOf(await page.execute({ limit: 2, offset: 28 }))).toEqual([29, 30]);

  const rest = await db.select().from(items).orderBy(asc(items.id)).offset(27).limit(rowLimit(Number.MAX_SAFE_INTEGER));
  expect(idsOf(rest)).toEqual([28, 29, 30]);
});
