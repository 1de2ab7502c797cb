/**
 * Runs several contending-writer.ts child processes against one data directory at the same
 * moment: all of them open their connections first, then one `go` on every stdin starts them
 * together. This is how the cross-process tests make writes really interleave (in one process
 * better-sqlite3 is synchronous and nothing ever does).
 *
 * The children run as `node --import tsx <script>` (not through the `tsx` CLI, whose grandchild
 * would outlive a kill; see crash.integration.test.ts).
 */
import { spawn, type ChildProcessByStdio } from "node:child_process";
import { dirname, join } from "node:path";
import type { Readable, Writable } from "node:stream";
import { fileURLToPath } from "node:url";
import type { ContenderReport } from "./fixtures/contender-report.ts";

export type { ContenderReport } from "./fixtures/contender-report.ts";

const PACKAGE_ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
const WRITER = join(PACKAGE_ROOT, "test", "fixtures", "contending-writer.ts");

export interface ContentionOptions {
  dataDir: string;
  mode: "prompt-update" | "settings-upsert" | "seat-limit" | "storage-quota";
  tenantId: string;
  /** How many processes write at once. */
  writers: number;
  /** Operations per process, back to back. */
  count: number;
  /** The prompt id, the settings identifier, or the file size in bytes (storage-quota). */
  target?: string;
  /** The quota's limit (seats, or bytes). */
  limit?: number;
}

type Child = ChildProcessByStdio<Writable, Readable, Readable>;

interface Started {
  child: Child;
  ready: Promise<void>;
  report: Promise<ContenderReport>;
}

function start(options: ContentionOptions, worker: number): Started {
  const child = spawn(process.execPath, ["--import", "tsx", WRITER], {
    cwd: PACKAGE_ROOT,
    env: {
      ...process.env,
      DATA_DIR: options.dataDir,
      CONTEND_MODE: options.mode,
      CONTEND_TENANT_ID: options.tenantId,
      CONTEND_TARGET: options.target ?? "",
      CONTEND_COUNT: String(options.count),
      CONTEND_WORKER: String(worker),
      CONTEND_LIMIT: String(options.limit ?? 0),
    },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  let signalReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (signalReady = resolve));
  child.stdout.setEncoding("utf8");
  child.stdout.on("data", (chunk: string) => {
    stdout += chunk;
    if (stdout.startsWith("ready\n")) signalReady();
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
  // A writer that dies before `ready` must fail the run, not hang it.
  void report.catch(() => signalReady());
  return { child, ready, report };
}

/** Starts `options.writers` processes, releases them at once, and returns their reports. */
export async function runContenders(options: ContentionOptions): Promise<ContenderReport[]> {
  const started = Array.from({ length: options.writers }, (_, worker) => start(options, worker));
  const watchdog = setTimeout(() => {
    for (const { child } of started) child.kill("SIGKILL");
  }, 45_000);
  try {
    await Promise.all(started.map((s) => s.ready));
    for (const { child } of started) child.stdin.end("go\n");
    return await Promise.all(started.map((s) => s.report));
  } finally {
    clearTimeout(watchdog);
  }
}

/**
 * Whether the writers' active periods overlapped: every writer was still writing when another
 * had already started. Without it a passing test might only show that they ran one after another.
 */
export function overlapped(reports: readonly ContenderReport[]): boolean {
  return reports.every((mine) =>
    reports.some((other) => other.worker !== mine.worker && other.startedAt < mine.endedAt && mine.startedAt < other.endedAt),
  );
}
