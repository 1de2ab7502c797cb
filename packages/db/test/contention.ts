/**
 * Runs several contending-writer.ts child processes against one data directory at the same
 * moment. In one process better-sqlite3 is synchronous and nothing ever interleaves; across
 * processes only SQLite's locks keep writes apart, as between the web server and the worker.
 *
 * Timing alone makes a poor race on a loaded 2-core machine (the writers rarely hit the few
 * microseconds between a read and the write that depends on it). So the test process holds the
 * database's write lock (`gate`) while the writers start: each writer gets as far as the
 * operation lets it before it needs the lock. Code that reads outside its write transaction
 * has then read, and every such writer writes from the same stale read once the gate opens;
 * code that takes the write lock first (BEGIN IMMEDIATE) waits and reads after the others.
 *
 * On PostgreSQL the children open the same database (the installation's `childEnv`), and the gate
 * is the lock the engine's tenant writers take (the tenant's advisory lock, src/pg/transactions.ts),
 * held in a transaction of the test process: the same race, on that engine's serialization point.
 *
 * The children run as `node --import tsx <script>` (not through the `tsx` CLI, whose grandchild
 * would outlive a kill; see crash.integration.test.ts).
 */
import { spawn, type ChildProcessByStdio } from "node:child_process";
import { dirname, join } from "node:path";
import type { Readable, Writable } from "node:stream";
import { fileURLToPath } from "node:url";
import type pg from "pg";
import { TENANT_LOCK_CLASS } from "../src/pg/transactions.ts";
import type { ContenderReport } from "./fixtures/contender-report.ts";
import type { TempInstallation } from "./helpers.ts";
import { sleep } from "./integration-helpers.ts";

export type { ContenderReport } from "./fixtures/contender-report.ts";

const PACKAGE_ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
const WRITER = join(PACKAGE_ROOT, "test", "fixtures", "contending-writer.ts");
/** How long the gate stays closed after the last writer announced its first operation. */
const GATE_HOLD_MS = 200;
/**
 * The gate opens after this long even if a writer is slow to start: the writers that wait on
 * it must never reach their busy timeout (WRITER_BUSY_TIMEOUT_MS), or correct code would fail.
 */
const GATE_MAX_MS = 3_000;
const WRITER_BUSY_TIMEOUT_MS = 20_000;

/** The lock every contending writer needs, held by the test process while the writers start. */
export interface Gate {
  close(): Promise<void>;
  open(): Promise<void>;
  /** Opens it if closed (the run failed); then nothing of the gate is left. */
  dispose(): Promise<void>;
}

/**
 * The gate of tenant `tenantId`'s writes to `store` (SQLite: the write lock of the tenant's file or
 * of shared.sqlite; PostgreSQL: the tenant's lock, which its writes to both take).
 */
export async function tenantGate(env: TempInstallation, tenantId: string, store: "tenant" | "shared"): Promise<Gate> {
  if (env.database) return pgTenantGate(await env.database.admin(), tenantId);
  if (store === "shared") return sqliteGate(env.manager.getSharedDatabase().$client, () => undefined);
  const lease = env.manager.acquireTenantDatabase(tenantId);
  return sqliteGate(lease.db.$client, () => lease.release());
}

function sqliteGate(connection: { exec(sql: string): unknown }, release: () => void): Gate {
  let closed = false;
  return {
    close: async () => {
      connection.exec("BEGIN IMMEDIATE");
      closed = true;
    },
    open: async () => {
      connection.exec("COMMIT");
      closed = false;
    },
    dispose: async () => {
      if (closed) connection.exec("ROLLBACK");
      closed = false;
      release();
    },
  };
}

function pgTenantGate(client: pg.Client, tenantId: string): Gate {
  let closed = false;
  return {
    close: async () => {
      await client.query("BEGIN");
      await client.query("SELECT pg_advisory_xact_lock($1, hashtext($2))", [TENANT_LOCK_CLASS, tenantId]);
      closed = true;
    },
    open: async () => {
      await client.query("COMMIT");
      closed = false;
    },
    dispose: async () => {
      if (closed) await client.query("ROLLBACK");
      closed = false;
    },
  };
}

export interface ContentionOptions {
  /** The installation the writers open (useTempDataDir's childEnv). */
  env: Record<string, string>;
  mode: "prompt-update" | "settings-upsert" | "seat-limit" | "storage-quota" | "execution-quota";
  tenantId: string;
  /** How many processes write at once. */
  writers: number;
  /** Operations per process, back to back. */
  count: number;
  /** The prompt id, the settings identifier, or the file size in bytes (storage-quota). */
  target?: string;
  /** The quota's limit (seats, or bytes). */
  limit?: number;
  /** Held until every writer has started its first operation (tenantGate). */
  gate: Gate;
}

type Child = ChildProcessByStdio<Writable, Readable, Readable>;

interface Started {
  child: Child;
  ready: Promise<void>;
  first: Promise<void>;
  report: Promise<ContenderReport>;
}

function start(options: ContentionOptions, worker: number): Started {
  const child = spawn(process.execPath, ["--import", "tsx", WRITER], {
    cwd: PACKAGE_ROOT,
    env: {
      ...process.env,
      ...options.env,
      CONTEND_MODE: options.mode,
      CONTEND_TENANT_ID: options.tenantId,
      CONTEND_TARGET: options.target ?? "",
      CONTEND_COUNT: String(options.count),
      CONTEND_WORKER: String(worker),
      CONTEND_LIMIT: String(options.limit ?? 0),
      SQLITE_BUSY_TIMEOUT_MS: String(WRITER_BUSY_TIMEOUT_MS),
    },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  const signals = { ready: () => {}, first: () => {} };
  const ready = new Promise<void>((resolve) => (signals.ready = resolve));
  const first = new Promise<void>((resolve) => (signals.first = resolve));
  child.stdout.setEncoding("utf8");
  child.stdout.on("data", (chunk: string) => {
    stdout += chunk;
    const said = stdout.split("\n");
    if (said.includes("ready")) signals.ready();
    if (said.includes("first")) signals.first();
  });
  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (chunk: string) => (stderr += chunk));
  const report = new Promise<ContenderReport>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code, signal) => {
      const last = stdout.trim().split("\n").pop() ?? "";
      if (code !== 0 || !last.startsWith("{")) {
        reject(new Error(`writer ${worker} exited with ${signal ?? String(code)}: ${stderr || stdout}`));
        return;
      }
      resolve(JSON.parse(last) as ContenderReport);
    });
  });
  // A writer that dies early must fail the run, not leave it waiting for its signals.
  void report.catch(() => {
    signals.ready();
    signals.first();
  });
  return { child, ready, first, report };
}

/** Starts `options.writers` processes, releases them at once, and returns their reports. */
export async function runContenders(options: ContentionOptions): Promise<ContenderReport[]> {
  const started = Array.from({ length: options.writers }, (_, worker) => start(options, worker));
  const watchdog = setTimeout(() => {
    for (const { child } of started) child.kill("SIGKILL");
  }, 45_000);
  try {
    await Promise.all(started.map((s) => s.ready));
    await options.gate.close();
    for (const { child } of started) child.stdin.end("go\n");
    await Promise.race([Promise.all(started.map((s) => s.first)), sleep(GATE_MAX_MS)]);
    await sleep(GATE_HOLD_MS);
    await options.gate.open();
    return await Promise.all(started.map((s) => s.report));
  } finally {
    clearTimeout(watchdog);
    await options.gate.dispose();
  }
}

/**
 * Whether the writers' active periods overlapped: every writer was still writing when another
 * had already started. Without it a passing test might only show that they ran one after another.
 */
export function overlapped(reports: readonly ContenderReport[]): boolean {
  return reports.every((mine) => reports.some((other) => other.worker !== mine.worker && other.startedAt < mine.endedAt && mine.startedAt < other.endedAt));
}
