import Database from "better-sqlite3";
import { openRaw, type RawPragmas } from "./raw-migration.ts";

// The seed's claim "smaller isolated databases query faster", measured by bench/query.bench.ts: the
// same list query over one tenant's own file and over a shared table that holds many tenants' rows
// with tenant_id leading every index (docs/architecture.md: Shared tables). Both tables have the
// columns of the real `prompts` table (packages/db/src/schema/tenant/prompts.ts). Here because only
// packages/db may import better-sqlite3 (docs/architecture.md: Layers).

const COLUMNS = `id text PRIMARY KEY NOT NULL, name text NOT NULL, description text DEFAULT '' NOT NULL, template text NOT NULL,
  response_schema text, accepts_files integer DEFAULT 0 NOT NULL, current_version integer DEFAULT 1 NOT NULL,
  created_by text, updated_by text, created_at integer NOT NULL, updated_at integer NOT NULL`;

const ISOLATED_SCHEMA = `CREATE TABLE prompts (${COLUMNS});
CREATE UNIQUE INDEX prompts_name_unique ON prompts (name);
CREATE INDEX prompts_updated_idx ON prompts (updated_at);`;

const SHARED_SCHEMA = `CREATE TABLE prompts (tenant_id text NOT NULL, ${COLUMNS});
CREATE UNIQUE INDEX prompts_tenant_name_unique ON prompts (tenant_id, name);
CREATE INDEX prompts_tenant_updated_idx ON prompts (tenant_id, updated_at);`;

/** Newest 50 prompts that take no files: the index gives the order, the filter drops about half. */
const SELECT_LIST = "SELECT id, name, description, current_version, updated_at FROM prompts";
const ISOLATED_QUERY = `${SELECT_LIST} WHERE accepts_files = 0 ORDER BY updated_at DESC LIMIT 50`;
const SHARED_QUERY = `${SELECT_LIST} WHERE tenant_id = ? AND accepts_files = 0 ORDER BY updated_at DESC LIMIT 50`;

export const LIST_QUERY_SQL = { isolated: ISOLATED_QUERY, shared: SHARED_QUERY };

const TEMPLATE = "You are a helpful assistant. Summarise {{document}} for {{audience}} in {{words}} words, citing the sections you used.";
const EPOCH_MS = Date.UTC(2026, 0, 1);

function promptValues(tenant: number, row: number, step: number): unknown[] {
  return [
    `p-${tenant}-${row}`,
    `Prompt ${row} of tenant ${tenant}`,
    `Description of prompt ${row}`,
    TEMPLATE,
    null,
    row % 2,
    1 + (row % 5),
    "user",
    "user",
    EPOCH_MS + step * 1000,
    EPOCH_MS + step * 1000,
  ];
}

/** One tenant's file with `rows` prompts. */
export function createIsolatedPromptsFile(path: string, rows: number): void {
  const connection = new Database(path);
  try {
    connection.pragma("journal_mode = WAL");
    connection.exec(ISOLATED_SCHEMA);
    const insert = connection.prepare("INSERT INTO prompts VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    connection.transaction(() => {
      for (let row = 0; row < rows; row += 1) insert.run(...promptValues(0, row, row));
    })();
  } finally {
    connection.close();
  }
}

/**
 * One shared table with `tenants` × `rowsPerTenant` prompts. Rows are inserted in time order across
 * tenants (round-robin), as a live installation writes them, so one tenant's rows are spread over
 * the table's pages instead of sitting together.
 */
export function createSharedPromptsFile(path: string, tenants: number, rowsPerTenant: number): string[] {
  const connection = new Database(path);
  const tenantIds = Array.from({ length: tenants }, (_, index) => `tenant-${String(index).padStart(5, "0")}`);
  try {
    connection.pragma("journal_mode = WAL");
    connection.exec(SHARED_SCHEMA);
    const insert = connection.prepare("INSERT INTO prompts VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    const BATCH = 50_000;
    let step = 0;
    const total = tenants * rowsPerTenant;
    while (step < total) {
      const end = Math.min(total, step + BATCH);
      connection.transaction(() => {
        for (; step < end; step += 1) {
          const tenant = step % tenants;
          const row = Math.floor(step / tenants);
          insert.run(tenantIds[tenant], ...promptValues(tenant, row, step));
        }
      })();
    }
    connection.pragma("wal_checkpoint(TRUNCATE)");
  } finally {
    connection.close();
  }
  return tenantIds;
}

export interface ListQuerySampler {
  /** Runs the list query once and returns how long it took in µs and how many rows it listed. */
  sample(tenantId?: string): { micros: number; rows: number };
  close(): void;
}

/** Opens `path` with Sigil's pragmas and times the isolated or the shared form of the list query. */
export function listQuerySampler(path: string, kind: "isolated" | "shared", pragmas: RawPragmas): ListQuerySampler {
  const connection = openRaw(path, pragmas);
  const statement = connection.prepare(kind === "isolated" ? ISOLATED_QUERY : SHARED_QUERY);
  return {
    sample(tenantId) {
      const started = performance.now();
      const rows = kind === "isolated" ? statement.all() : statement.all(tenantId);
      return { micros: (performance.now() - started) * 1000, rows: rows.length };
    },
    close: () => connection.close(),
  };
}

/** The query plan SQLite chose, one line per step, so the table can show that both forms use an index. */
export function listQueryPlan(path: string, kind: "isolated" | "shared"): string {
  const connection = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const sql = kind === "isolated" ? ISOLATED_QUERY : SHARED_QUERY;
    const plan = connection.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...(kind === "shared" ? ["tenant-00000"] : [])) as { detail: string }[];
    return plan.map((step) => step.detail).join("; ");
  } finally {
    connection.close();
  }
}
