import { createHash } from "node:crypto";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openSqlite, type SqliteConnection } from "../src/connection.ts";
import { HybridDatabaseManager, type HybridDatabaseOptions } from "../src/hybrid-manager.ts";
import { TENANT_MIGRATIONS_FOLDER } from "../src/migrations/migration-files.ts";
import { deploymentModel } from "../src/models/deployment.ts";
import { executionModel } from "../src/models/execution.ts";
import { promptModel } from "../src/models/prompt.ts";
import { tenantContext } from "../src/tenant-context.ts";

/**
 * Builders for migration scenarios: migration folders in temp dirs (a copy of
 * packages/db/migrations/tenant plus extra drizzle-kit 0.x migrations), tenant data, and raw
 * inspection of tenant files that never goes through the manager (so it migrates nothing).
 */

export const BREAKPOINT = "--> statement-breakpoint";

export interface ExtraMigration {
  /** The part after `NNNN_` in the tag, e.g. `prompts_name_ci_unique`. */
  name: string;
  /** Statements, written joined by drizzle-kit's breakpoint marker. */
  statements: readonly string[];
}

export interface MigrationFolder {
  folder: string;
  /** Tags of all migrations in the folder, journal order. */
  tags: string[];
}

interface JournalEntry {
  idx: number;
  version: string;
  when: number;
  tag: string;
  breakpoints: boolean;
}
interface Journal {
  version: string;
  dialect: string;
  entries: JournalEntry[];
}

const createdFolders: string[] = [];

/**
 * Copies `base` (default: the real tenant migrations) into a new temp folder and appends `extra`
 * as `NNNN_<name>.sql` files with journal entries one second apart after the last one. Every
 * call returns a new path, so `loadMigrations`' per-path cache never serves another variant.
 */
export function buildMigrationFolder(extra: readonly ExtraMigration[], base: string = TENANT_MIGRATIONS_FOLDER): MigrationFolder {
  const folder = mkdtempSync(join(tmpdir(), "sigil-migrations-"));
  createdFolders.push(folder);
  cpSync(base, folder, { recursive: true });
  const journalPath = join(folder, "meta", "_journal.json");
  const journal = JSON.parse(readFileSync(journalPath, "utf8")) as Journal;
  const last = journal.entries.at(-1);
  if (last === undefined) throw new Error(`The journal in ${base} has no entries.`);
  extra.forEach((migration, offset) => {
    const idx = journal.entries.length;
    const tag = `${String(idx).padStart(4, "0")}_${migration.name}`;
    writeFileSync(join(folder, `${tag}.sql`), migration.statements.join(`${BREAKPOINT}\n`));
    journal.entries.push({ idx, version: last.version, when: last.when + 1_000 * (offset + 1), tag, breakpoints: true });
  });
  writeFileSync(journalPath, `${JSON.stringify(journal, null, 2)}\n`);
  return { folder, tags: journal.entries.map((entry) => entry.tag) };
}

/** Removes every folder built by buildMigrationFolder so far. */
export function removeMigrationFolders(): void {
  for (const folder of createdFolders.splice(0)) rmSync(folder, { recursive: true, force: true });
}

/** The columns of `prompts` in 0000_init, in order (what a rebuild has to copy). */
const PROMPT_COLUMNS = [
  "id",
  "name",
  "description",
  "template",
  "response_schema",
  "input_schema",
  "accepts_files",
  "current_version",
  "created_by",
  "updated_by",
  "created_at",
  "updated_at",
] as const;

export interface PromptsRebuildOptions {
  /** Extra table constraint, e.g. `CONSTRAINT "x" CHECK(length("template") > 0)`. */
  constraint?: string;
  /** SQL expression copied into the new `id` (default `"id"`); anything else re-keys the rows. */
  idExpression?: string;
}

/**
 * The SQLite 12-step rebuild of `prompts` exactly as drizzle-kit 0.x writes it (adding an
 * `archived` column and optionally a constraint), `PRAGMA foreign_keys=OFF/ON` included: inside
 * a transaction those pragmas do nothing (docs/architecture.md: The migrator's single transaction and foreign keys).
 */
export function promptsRebuildMigration(name: string, options: PromptsRebuildOptions = {}): ExtraMigration {
  const constraint = options.constraint === undefined ? "" : `,\n\t${options.constraint}`;
  const columns = PROMPT_COLUMNS.map((c) => `"${c}"`).join(", ");
  const selected = PROMPT_COLUMNS.map((c) => (c === "id" ? (options.idExpression ?? `"id"`) : `"${c}"`)).join(", ");
  return {
    name,
    statements: [
      "PRAGMA foreign_keys=OFF;",
      `CREATE TABLE \`__new_prompts\` (
	\`id\` text PRIMARY KEY NOT NULL,
	\`name\` text NOT NULL,
	\`description\` text DEFAULT '' NOT NULL,
	\`template\` text NOT NULL,
	\`response_schema\` text,
	\`input_schema\` text,
	\`accepts_files\` integer DEFAULT false NOT NULL,
	\`current_version\` integer DEFAULT 1 NOT NULL,
	\`created_by\` text,
	\`updated_by\` text,
	\`archived\` integer DEFAULT false NOT NULL,
	\`created_at\` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	\`updated_at\` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL${constraint}
);
`,
      `INSERT INTO \`__new_prompts\`(${columns}) SELECT ${selected} FROM \`prompts\`;`,
      "DROP TABLE `prompts`;",
      "ALTER TABLE `__new_prompts` RENAME TO `prompts`;",
      "PRAGMA foreign_keys=ON;",
      "CREATE UNIQUE INDEX `prompts_name_unique` ON `prompts` (`name`);",
      "CREATE INDEX `prompts_updated_idx` ON `prompts` (`updated_at`);",
    ],
  };
}

/** Replaces the process-wide manager with one on the same data dir and the given migrations. */
export function reconfigure(dataDir: string, options: Partial<HybridDatabaseOptions> = {}): HybridDatabaseManager {
  return HybridDatabaseManager.configure({ dataDir, tenantCacheSize: 8, ...options });
}

export interface PromptSeed {
  name: string;
  template?: string;
  /** Content updates after create; each one writes another prompt_versions row. */
  updates?: number;
  /** Also create an execution and a deployment of this prompt (more ON DELETE CASCADE children). */
  withChildren?: boolean;
}

/** Writes prompts (and their versions, executions, deployments) through the models. */
export async function seedPrompts(tenantId: string, seeds: readonly PromptSeed[]): Promise<void> {
  await tenantContext.runWithTenant(tenantId, async () => {
    for (const seed of seeds) {
      const prompt = await promptModel.create({ name: seed.name, template: seed.template ?? `Hello {{${seed.name}}}` });
      for (let i = 1; i <= (seed.updates ?? 0); i += 1) {
        await promptModel.update(prompt.id, { template: `${prompt.template} v${i + 1}` });
      }
      if (seed.withChildren === true) {
        await executionModel.create({ promptId: prompt.id, promptVersion: 1, input: { n: 1 }, provider: "openai", model: "gpt-4o" });
        await deploymentModel.create({ name: `${seed.name}-prod`, promptId: prompt.id, provider: "openai", model: "gpt-4o" });
      }
    }
  });
}

/** Opens a tenant file directly (no registry, no migrate-on-open) for inspection or repair. */
export function withRawConnection<T>(path: string, fn: (connection: SqliteConnection) => T): T {
  const connection = openSqlite(path, { fileMustExist: true, synchronous: "NORMAL", busyTimeoutMs: 5_000 });
  try {
    return fn(connection);
  } finally {
    connection.close();
  }
}

export interface TenantFileSnapshot {
  /** Rows in __drizzle_migrations. */
  migrationsRecorded: number;
  /** Every schema object's DDL, sorted. */
  schema: string[];
  prompts: { id: string; name: string; template: string }[];
  counts: { prompts: number; prompt_versions: number; executions: number; deployments: number };
  foreignKeyViolations: number;
}

const COUNTED_TABLES = ["prompts", "prompt_versions", "executions", "deployments"] as const;

function count(connection: SqliteConnection, table: string): number {
  const row = connection.prepare(`SELECT count(*) AS n FROM "${table}"`).get() as { n: number } | undefined;
  return row?.n ?? 0;
}

export function snapshotTenantFile(path: string): TenantFileSnapshot {
  return withRawConnection(path, (connection) => {
    const schema = (
      connection.prepare("SELECT type || ' ' || name || ': ' || coalesce(sql, '') AS ddl FROM sqlite_master").all() as {
        ddl: string;
      }[]
    )
      .map((row) => row.ddl)
      .sort();
    const prompts = connection.prepare("SELECT id, name, template FROM prompts ORDER BY id").all() as TenantFileSnapshot["prompts"];
    const counts = { prompts: 0, prompt_versions: 0, executions: 0, deployments: 0 };
    for (const table of COUNTED_TABLES) counts[table] = count(connection, table);
    return {
      migrationsRecorded: count(connection, "__drizzle_migrations"),
      schema,
      prompts,
      counts,
      foreignKeyViolations: (connection.pragma("foreign_key_check") as unknown[]).length,
    };
  });
}

/** True when the tenant file has a schema object (table, index) of that name. */
export function hasSchemaObject(path: string, name: string): boolean {
  return withRawConnection(path, (connection) => connection.prepare("SELECT 1 FROM sqlite_master WHERE name = ?").get(name) !== undefined);
}

export function columnNames(path: string, table: string): string[] {
  return withRawConnection(path, (connection) => (connection.pragma(`table_info("${table}")`) as { name: string }[]).map((column) => column.name));
}

export function fileSha256(path: string): string {
  return createHash("sha256").update(readFileSync(path)).digest("hex");
}
