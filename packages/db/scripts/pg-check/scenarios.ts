/**
 * The same writes on a SQLite file and in a PostgreSQL schema, step by step, so the trigger-kept
 * counters (tenant_stats, cache_generation) can be compared after each one. JSON values carry what
 * a byte count can get wrong: multi-byte UTF-8, escapes, nesting, numbers, empty containers.
 */
import { bytes, json, text, time, type Engine } from "./sql-literals.ts";

export interface Step {
  name: string;
  sql(engine: Engine): string;
}

const T0 = Date.UTC(2026, 11, 1, 9, 30, 0, 123);

const richVariables = {
  name: "Zoë — “quoted” 'single'",
  list: [1, 2.5, -3, { deep: 'a"b\\c\nd\te/f' }, [], {}],
  emoji: "🙂 ✓ 中文",
  flag: true,
  nothing: null,
  control: "\u0001\u001f",
};

export const tenantSteps: Step[] = [
  {
    name: "file inserted",
    sql: (e) =>
      `INSERT INTO files (id, name, mime_type, size, sha256, content) VALUES ('f1', 'a.txt', 'text/plain', 1234, 'h1', ${bytes(e, Buffer.from("hello"))});`,
  },
  {
    name: "second file",
    sql: (e) => `INSERT INTO files (id, name, mime_type, size, sha256, content) VALUES ('f2', 'b.txt', 'text/plain', 10, 'h2', ${bytes(e, Buffer.from("x"))});`,
  },
  { name: "file resized", sql: () => `UPDATE files SET size = 2000 WHERE id = 'f1';` },
  { name: "file renamed (size untouched)", sql: () => `UPDATE files SET name = 'c.txt' WHERE id = 'f2';` },
  { name: "file deleted", sql: () => `DELETE FROM files WHERE id = 'f2';` },
  { name: "prompts inserted", sql: () => `INSERT INTO prompts (id, name, template) VALUES ('p1', 'one', 't'), ('p2', 'two', 't');` },
  { name: "prompt deleted", sql: () => `DELETE FROM prompts WHERE id = 'p2';` },
  { name: "dataset created", sql: () => `INSERT INTO datasets (id, name) VALUES ('d1', 'set');` },
  {
    name: "dataset items inserted",
    sql: (e) =>
      `INSERT INTO dataset_items (id, dataset_id, position, variables, expected_output, tags) VALUES ` +
      `('i1', 'd1', 0, ${json(e, richVariables)}, ${text("héllo ✓")}, ${json(e, ["a", "b c"])}), ` +
      `('i2', 'd1', 1, ${json(e, {})}, NULL, ${json(e, [])});`,
  },
  { name: "item variables updated", sql: (e) => `UPDATE dataset_items SET variables = ${json(e, { n: 12345678901, x: [null, false] })} WHERE id = 'i1';` },
  { name: "item output and tags updated", sql: (e) => `UPDATE dataset_items SET expected_output = 'ok', tags = ${json(e, ["ü"])} WHERE id = 'i2';` },
  { name: "item position moved (bytes untouched)", sql: () => `UPDATE dataset_items SET position = 5 WHERE id = 'i2';` },
  { name: "dataset deleted (items cascade)", sql: () => `DELETE FROM datasets WHERE id = 'd1';` },
  { name: "usage counted", sql: () => `INSERT INTO usage_counters (metric, period, count) VALUES ('tokens', '2026-12', 5);` },
  {
    name: "usage upserted",
    sql: () =>
      `INSERT INTO usage_counters (metric, period, count) VALUES ('tokens', '2026-12', 7) ON CONFLICT (metric, period) DO UPDATE SET count = usage_counters.count + excluded.count;`,
  },
  { name: "activity recorded", sql: (e) => `INSERT INTO audit_log (id, actor_type, action, created_at) VALUES ('a1', 'user', 'x', ${time(e, T0)});` },
  {
    name: "older activity recorded",
    sql: (e) => `INSERT INTO audit_log (id, actor_type, action, created_at) VALUES ('a0', 'user', 'x', ${time(e, T0 - 60_000)});`,
  },
  {
    name: "prompt with executions deleted",
    sql: (e) =>
      `INSERT INTO executions (id, prompt_id, prompt_version, input, provider, model) VALUES ('e1', 'p1', 1, ${json(e, { q: "?" })}, 'openai', 'm');\n` +
      `DELETE FROM prompts WHERE id = 'p1';`,
  },
];

export const sharedSteps: Step[] = [
  {
    name: "tenant created",
    sql: () => `INSERT INTO tenants (id, name, slug, limit_users, limit_storage_mb, limit_executions_per_month) VALUES ('t1', 'Acme', 'acme', 5, 100, 1000);`,
  },
  { name: "tenant updated", sql: () => `UPDATE tenants SET name = 'Acme 2' WHERE id = 't1';` },
  { name: "user created", sql: () => `INSERT INTO users (id, tenant_id, email, name) VALUES ('u1', 't1', 'a@b.c', 'A');` },
  { name: "user updated", sql: () => `UPDATE users SET name = 'B' WHERE id = 'u1';` },
  {
    name: "api key created",
    sql: (e) =>
      `INSERT INTO api_keys (id, tenant_id, user_id, name, key_id, secret_hash, scopes) VALUES ('k1', 't1', 'u1', 'k', 'kid', 'h', ${json(e, ["prompts:read"])});`,
  },
  { name: "api key used (no validity change)", sql: () => `UPDATE api_keys SET usage_count = usage_count + 1 WHERE id = 'k1';` },
  { name: "api key revoked", sql: () => `UPDATE api_keys SET status = 'revoked' WHERE id = 'k1';` },
  { name: "tenant deleted (users and keys cascade)", sql: () => `DELETE FROM tenants WHERE id = 't1';` },
];

export const TENANT_STATS_SQL: Record<Engine, string> = {
  sqlite: `SELECT revision || '|' || storage_bytes || '|' || file_count || '|' || prompt_count || '|' || coalesce(last_activity_at, '-') AS v FROM tenant_stats WHERE id = 1;`,
  pg: `SELECT revision || '|' || storage_bytes || '|' || file_count || '|' || prompt_count || '|' || coalesce((extract(epoch FROM last_activity_at) * 1000)::bigint::text, '-') AS v FROM tenant_stats WHERE id = 1;`,
};

export const CACHE_GENERATION_SQL = `SELECT value AS v FROM cache_generation WHERE id = 1;`;
