/**
 * The PostgreSQL schemas (src/schema/pg) must say what the SQLite ones say: same tables, columns,
 * types (by TYPE_MAPPING in ./engine-contract.ts), nullability, defaults, primary keys, indexes and
 * foreign keys. A change to one engine's schema without the other's fails here, naming the
 * difference. The TypeScript row types are compared too, by `pnpm typecheck` (expectTypeOf).
 */
import type { InferInsertModel, InferSelectModel, Table } from "drizzle-orm";
import { getTableConfig as getPgTableConfig, index, PgTable, pgTable, text } from "drizzle-orm/pg-core";
import { SQLiteTable } from "drizzle-orm/sqlite-core";
import { describe, expect, expectTypeOf, it } from "vitest";
import { pgSharedSchema, pgTenantSchema } from "../src/schema/pg/index.ts";
import { sharedSchema, tenantSchema } from "../src/schema/index.ts";
import { bigintColumn, createdAt, idColumn, timestampColumn } from "../src/schema/pg/columns.ts";
import { diffSchemas, diffTables, describeTable, tablesOf } from "./engine-contract.ts";

const sets = [
  { name: "shared", sqlite: sharedSchema, pg: pgSharedSchema, pgSchema: "sigil_shared" },
  { name: "tenant", sqlite: tenantSchema, pg: pgTenantSchema, pgSchema: undefined },
] as const;

describe.each(sets)("the $name schemas", ({ sqlite, pg, pgSchema }) => {
  const sqliteTables = tablesOf<SQLiteTable>(sqlite, SQLiteTable);
  const pgTables = tablesOf<PgTable>(pg, PgTable);

  it("have the same tables, columns, types, nullability, defaults, keys and indexes", () => {
    expect(sqliteTables.size).toBeGreaterThan(10);
    expect(diffSchemas(sqliteTables, pgTables)).toEqual([]);
  });

  it(`live in ${pgSchema ?? "no fixed schema (the tenant's, by search_path)"} on PostgreSQL`, () => {
    for (const table of pgTables.values()) expect(getPgTableConfig(table).schema).toBe(pgSchema);
  });
});

type Rows<S, Infer extends "select" | "insert"> = {
  [K in keyof S as S[K] extends Table ? K : never]: S[K] extends Table ? (Infer extends "select" ? InferSelectModel<S[K]> : InferInsertModel<S[K]>) : never;
};

it("give the models the same TypeScript row types on both engines (checked by tsc)", () => {
  expectTypeOf<Rows<typeof pgSharedSchema, "select">>().toEqualTypeOf<Rows<typeof sharedSchema, "select">>();
  expectTypeOf<Rows<typeof pgSharedSchema, "insert">>().toEqualTypeOf<Rows<typeof sharedSchema, "insert">>();
  expectTypeOf<Rows<typeof pgTenantSchema, "select">>().toEqualTypeOf<Rows<typeof tenantSchema, "select">>();
  expectTypeOf<Rows<typeof pgTenantSchema, "insert">>().toEqualTypeOf<Rows<typeof tenantSchema, "insert">>();
});

describe("the contract names each kind of difference", () => {
  // Twins of tenant tables, each with one difference made on purpose.
  const sqliteFacts = (name: string) => {
    const table = tablesOf<SQLiteTable>(tenantSchema, SQLiteTable).get(name);
    if (!table) throw new Error(`no SQLite table ${name}`);
    return describeTable("SQLite", table);
  };

  it("a missing table", () => {
    const pgTables = tablesOf<PgTable>(pgTenantSchema, PgTable);
    pgTables.delete("files");
    expect(diffSchemas(tablesOf<SQLiteTable>(tenantSchema, SQLiteTable), pgTables)).toEqual(["table files exists only in SQLite"]);
  });

  it("a dropped column, a changed nullability, a renamed index, a widened type, a changed default", () => {
    const auditLog = pgTable(
      "audit_log",
      {
        id: idColumn(),
        actorType: text("actor_type", { enum: ["user", "api_key", "system_admin", "system"] }).notNull(),
        actorId: text("actor_id").notNull(),
        action: bigintColumn("action").notNull(),
        targetType: text("target_type"),
        targetId: text("target_id"),
        ip: text("ip").default("unknown"),
        createdAt: createdAt(),
      },
      (t) => [index("audit_log_created_at_idx").on(t.createdAt), index("audit_log_action_idx").on(t.action, t.createdAt)],
    );
    expect(diffTables(sqliteFacts("audit_log"), describeTable("PostgreSQL", auditLog))).toEqual([
      "audit_log: column details exists only in SQLite",
      "audit_log: column actor_id: nullability differs: SQLite nullable, PostgreSQL NOT NULL",
      'audit_log: column ip: default differs: SQLite none, PostgreSQL "unknown"',
      "audit_log: index audit_log_created_idx exists only in SQLite ((created_at))",
      "audit_log: index audit_log_created_at_idx exists only in PostgreSQL ((created_at))",
      "audit_log: column action: SQLite SQLiteText must map to text (PgText), PostgreSQL has PgBigInt53 bigint",
    ]);
  });

  it("a timestamp that is not millisecond timestamptz, enum values that differ, a rowid key without identity", () => {
    const tenantStats = pgTable("tenant_stats", {
      id: bigintColumn("id").primaryKey(),
      revision: bigintColumn("revision").notNull().default(0),
      storageBytes: bigintColumn("storage_bytes").notNull().default(0),
      fileCount: bigintColumn("file_count").notNull().default(0),
      promptCount: bigintColumn("prompt_count").notNull().default(0),
      lastActivityAt: text("last_activity_at", { enum: ["never"] }),
    });
    expect(diffTables(sqliteFacts("tenant_stats"), describeTable("PostgreSQL", tenantStats))).toEqual([
      "tenant_stats: column id: default differs: SQLite the next number when omitted, PostgreSQL none",
      'tenant_stats: column last_activity_at: enum values differs: SQLite [], PostgreSQL ["never"]',
      "tenant_stats: column last_activity_at: SQLite SQLiteTimestamp:timestamp_ms must map to timestamp (3) with time zone (PgTimestamp), PostgreSQL has PgText text",
    ]);
  });

  it("a foreign key with another ON DELETE, and a primary key on other columns", () => {
    const prompts = pgTable("prompts", { id: idColumn() });
    const promptVersions = pgTable("prompt_versions", {
      id: text("id").notNull(),
      promptId: text("prompt_id")
        .notNull()
        .references(() => prompts.id, { onDelete: "set null" }),
      version: bigintColumn("version").primaryKey(),
      name: text("name").notNull(),
      description: text("description").notNull().default(""),
      template: text("template").notNull(),
      responseSchema: text("response_schema"),
      inputSchema: text("input_schema"),
      acceptsFiles: text("accepts_files").notNull().default("false"),
      createdBy: text("created_by"),
      changeNote: text("change_note").notNull().default(""),
      createdAt: timestampColumn("created_at").notNull().defaultNow(),
    });
    const problems = diffTables(sqliteFacts("prompt_versions"), describeTable("PostgreSQL", promptVersions));
    expect(problems).toContain("prompt_versions: primary key differs: SQLite id, PostgreSQL version");
    expect(problems).toContain(
      "prompt_versions: foreign key (prompt_id) differs: SQLite → prompts(id) on delete cascade, on update no action, PostgreSQL → prompts(id) on delete set null, on update no action",
    );
    expect(problems).toContain("prompt_versions: index prompt_versions_prompt_version_unique exists only in SQLite (unique (prompt_id, version))");
    expect(problems).toContain('prompt_versions: column accepts_files: default differs: SQLite false, PostgreSQL "false"');
  });
});
