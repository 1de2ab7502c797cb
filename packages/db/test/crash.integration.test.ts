/**
 * docs/architecture.md, Connections and pragmas: with WAL and synchronous=NORMAL every acknowledged write survives a
 * process crash. A child process writes through the models and acknowledges each write on stdout
 * after the awaited call returned; we SIGKILL it at a random moment, reopen the data directory
 * with a fresh manager and check every acknowledged write and the integrity of every file.
 *
 * The child runs as `node --import tsx <script>`, not through the `tsx` CLI: the CLI runs the
 * script in a grandchild process, which a SIGKILL of the CLI would leave running.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HybridDatabaseManager } from "../src/hybrid-manager.ts";
import { executionModel } from "../src/models/execution.ts";
import { promptModel } from "../src/models/prompt.ts";
import type { TenantRow } from "../src/models/tenant.ts";
import { userModel } from "../src/models/user.ts";
import { tenantContext } from "../src/tenant-context.ts";
import { createTenants, useTempDataDir } from "./helpers.ts";
import { listDir } from "./integration-helpers.ts";

const PACKAGE_ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
const WRITER = join(PACKAGE_ROOT, "test", "fixtures", "crash-writer.ts");
const ROUNDS = 5;

interface Ack {
  kind: "prompt" | "execution" | "user" | "tenant";
  tenantId: string;
  id: string;
  extra: string;
}

interface WriterRun {
  acks: Ack[];
  signal: NodeJS.Signals | null;
  code: number | null;
  stderr: string;
}

let env: Awaited<ReturnType<typeof useTempDataDir>>;
let tenants: TenantRow[];
let current: HybridDatabaseManager | undefined;

beforeAll(async () => {
  env = await useTempDataDir({ tenantCacheSize: 4 });
  tenants = await createTenants("crash-a", "crash-b");
  env.manager.close();
});

afterAll(async () => {
  current?.close();
  await env.cleanup();
});

function parseAck(line: string): Ack | undefined {
  const [word, kind, tenantId, id, extra] = line.split(" ");
  if (word !== "ack" || tenantId === undefined || id === undefined || extra === undefined) return undefined;
  if (kind !== "prompt" && kind !== "execution" && kind !== "user" && kind !== "tenant") return undefined;
  return { kind, tenantId, id, extra };
}

interface WriterOptions {
  dataDir: string;
  mode: "write" | "provision";
  round: number;
  minAcks: number;
  tenantIds: string[];
}

/**
 * Starts the writer, waits until it acknowledged `minAcks` writes, then lets it run a random
 * 0–250 ms more and kills it with SIGKILL. Only complete lines count as acknowledgements.
 */
function runWriterAndKill({ dataDir, mode, round, minAcks, tenantIds }: WriterOptions): Promise<WriterRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", WRITER], {
      cwd: PACKAGE_ROOT,
      env: {
        ...process.env,
        DATA_DIR: dataDir,
        CRASH_MODE: mode,
        CRASH_TENANT_IDS: tenantIds.join(","),
        CRASH_ROUND: String(round),
        // One slot for two tenants: the writer also opens and evicts handles all the time.
        TENANT_DB_CACHE_SIZE: "1",
        SQLITE_SYNCHRONOUS: "NORMAL",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const acks: Ack[] = [];
    let pending = "";
    let stderr = "";
    let killScheduled = false;
    const watchdog = setTimeout(() => child.kill("SIGKILL"), 20_000);

    child.stdout.setEncoding("utf8");
    child.stdout.on("data", (chunk: string) => {
      pending += chunk;
      const lines = pending.split("\n");
      pending = lines.pop() ?? "";
      for (const line of lines) {
        const ack = parseAck(line);
        if (ack) acks.push(ack);
      }
      if (!killScheduled && acks.length >= minAcks) {
        killScheduled = true;
        setTimeout(() => child.kill("SIGKILL"), Math.floor(Math.random() * 250));
      }
    });
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (chunk: string) => {
      stderr += chunk;
    });
    child.on("error", reject);
    child.on("close", (code, signal) => {
      clearTimeout(watchdog);
      // A partial last line (cut by the kill) is not an acknowledgement.
      resolve({ acks, signal, code, stderr });
    });
  });
}

describe("acknowledged writes survive SIGKILL", () => {
  it(`keeps every acknowledged write over ${ROUNDS} kill/restart rounds`, async () => {
    const allAcks: Ack[] = [];

    for (let round = 1; round <= ROUNDS; round += 1) {
      const run = await runWriterAndKill({
        dataDir: env.dataDir,
        mode: "write",
        round,
        minAcks: 20 + Math.floor(Math.random() * 200),
        tenantIds: tenants.map((t) => t.id),
      });
      // The child died of our SIGKILL, not of an error of its own.
      expect(run.stderr).not.toMatch(/error/i);
      expect(run.signal).toBe("SIGKILL");
      expect(run.acks.length).toBeGreaterThanOrEqual(20);
      allAcks.push(...run.acks);

      // The crash left the WAL behind: the next open must recover it.
      expect(existsSync(join(env.dataDir, "shared.sqlite-wal"))).toBe(true);
      current = HybridDatabaseManager.configure({ dataDir: env.dataDir, tenantCacheSize: 2 });
      const manager = current;

      // Integrity of shared.sqlite and of every tenant file, through the raw connections.
      const shared = manager.getSharedDatabase().$client;
      expect(shared.pragma("integrity_check", { simple: true })).toBe("ok");
      expect(shared.pragma("foreign_key_check")).toEqual([]);
      for (const tenant of tenants) {
        expect(existsSync(manager.tenantDatabasePath(tenant.id))).toBe(true);
        const lease = manager.acquireTenantDatabase(tenant.id);
        try {
          const client = lease.db.$client;
          expect(client.pragma("integrity_check", { simple: true })).toBe("ok");
          expect(client.pragma("foreign_key_check")).toEqual([]);
          // A prompt and its first version are written in one transaction: never one without the other.
          const orphans = client
            .prepare("SELECT count(*) AS n FROM prompts p WHERE NOT EXISTS (SELECT 1 FROM prompt_versions v WHERE v.prompt_id = p.id)")
            .get() as { n: number };
          expect(orphans.n).toBe(0);
        } finally {
          lease.release();
        }
      }

      // Every write acknowledged in this and all earlier rounds is there.
      for (const tenant of tenants) {
        const mine = allAcks.filter((a) => a.tenantId === tenant.id);
        const found = await tenantContext.runWithTenant(tenant.id, async () => ({
          prompts: new Map((await promptModel.findMany()).map((p) => [p.id, p.name])),
          executions: new Map((await executionModel.findMany()).map((e) => [e.id, e.promptId])),
          users: new Map((await userModel.findMany()).map((u) => [u.id, u.email])),
        }));
        const missing = mine.filter((a) => {
          if (a.kind === "tenant") return true; // the write mode never provisions
          const table = a.kind === "prompt" ? found.prompts : a.kind === "execution" ? found.executions : found.users;
          return table.get(a.id) !== a.extra;
        });
        expect(missing).toEqual([]);
      }
      // The writer really wrote to shared.sqlite as well as the tenant files.
      if (round === ROUNDS) expect(allAcks.some((a) => a.kind === "user")).toBe(true);

      manager.close();
      current = undefined;
    }
  });
});

describe("provisioning interrupted by SIGKILL", () => {
  it("keeps every acknowledged tenant complete and leaves no orphan file behind", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "sigil-crash-provision-"));
    try {
      current = HybridDatabaseManager.configure({ dataDir, tenantCacheSize: 2 });
      await current.runSharedMigrations();
      current.close();
      const acked: Ack[] = [];

      for (let round = 1; round <= 3; round += 1) {
        const run = await runWriterAndKill({
          dataDir,
          mode: "provision",
          round,
          minAcks: 3 + Math.floor(Math.random() * 10),
          tenantIds: [],
        });
        // The child died of our SIGKILL, not of an error of its own.
        expect(run.stderr).not.toMatch(/error/i);
        expect(run.signal).toBe("SIGKILL");
        acked.push(...run.acks);

        current = HybridDatabaseManager.configure({ dataDir, tenantCacheSize: 2 });
        const manager = current;
        expect(manager.getSharedDatabase().$client.pragma("integrity_check", { simple: true })).toBe("ok");
        const registered = manager.getSharedDatabase().$client.prepare("SELECT id, slug FROM tenants WHERE status = 'active'").all() as {
          id: string;
          slug: string;
        }[];

        // Every acknowledged tenant is registered under its slug, with a complete, current file.
        for (const ack of acked) {
          expect(registered).toContainEqual({ id: ack.id, slug: ack.extra });
        }
        // Every active registered tenant (acknowledged or not) opens: its file exists and is complete.
        for (const tenant of registered) {
          const lease = manager.acquireTenantDatabase(tenant.id);
          try {
            expect(lease.db.$client.pragma("integrity_check", { simple: true })).toBe("ok");
          } finally {
            lease.release();
          }
          expect(await tenantContext.runWithTenant(tenant.id, () => promptModel.count())).toBe(0);
        }
        // No tenant file without a registry row (a half-provisioned tenant left on disk). The
        // fresh manager above is the process restart: whatever reclaims a dead process's
        // half-provisioned files must have run by now.
        const allIds = new Set((manager.getSharedDatabase().$client.prepare("SELECT id FROM tenants").all() as { id: string }[]).map((t) => t.id));
        const orphans = listDir(dataDir).filter((name) => {
          const id = /^tenant_([0-9a-f-]{36})\.sqlite/.exec(name)?.[1];
          return id !== undefined && !allIds.has(id);
        });
        expect(orphans).toEqual([]);

        manager.close();
        current = undefined;
      }
    } finally {
      current?.close();
      current = undefined;
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
