import { spawn, spawnSync } from "node:child_process";
import { closeSync, openSync, readdirSync, rmSync, writeSync } from "node:fs";
import { join } from "node:path";
import { adminAuditLogModel, maintenanceRunModel, maintenanceRuns, tenantModel, type TenantRow } from "@sigil/db";
import { installationEnvironment } from "@sigil/db/test-support/child";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, onTestFinished, test } from "vitest";
import { processRunner } from "../src/services/maintenance/runner-identity.ts";
import { INTERRUPTED_MESSAGE, startRun } from "../src/services/maintenance/runner.ts";
import { perTenantTask, type MaintenanceTarget } from "../src/services/maintenance/task.ts";
import { ok, signInSystemAdmin, type AdminSession } from "./admin-session.ts";
import { call, createTenantWithUsers, useTestEnv, type TestEnv } from "./harness.ts";

interface Run {
  id: string;
  kind: string;
  status: string;
  total: number;
  done: number;
  failed: number;
  cancelRequested: boolean;
  error: string | null;
  outcomes?: Record<string, number>;
}
interface ResultsPage {
  data: { seq: number; tenantId: string; slug: string; outcome: string; detail: string; databaseBytes: number | null; durationMs: number }[];
  total: number;
  page: number;
  totalPages: number;
}

let env: TestEnv;
let admin: AdminSession;
const tenants: TenantRow[] = [];

beforeAll(async () => {
  env = await useTestEnv();
  admin = await signInSystemAdmin();
  for (const slug of ["acme", "globex", "initech"]) tenants.push((await createTenantWithUsers(slug)).tenant);
});
afterAll(() => env.cleanup());

async function waitUntilEnded(id: string): Promise<Run> {
  for (;;) {
    const run = ok(await admin.call<Run>("query", "maintenance.get", { id }));
    if (run.status !== "running") return run;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A per-tenant task whose steps wait until `open()`: a run that stays running as long as a test needs. */
function gatedTask() {
  let open!: () => void;
  const gate = new Promise<void>((resolve) => (open = resolve));
  const visited: string[] = [];
  const task = perTenantTask(async (target: MaintenanceTarget) => {
    visited.push(target.slug);
    await gate;
    return { outcome: "ok", detail: "ok", databaseBytes: null, failed: false };
  });
  return { task, visited, open: () => open() };
}

const targetsOf = (rows: TenantRow[]) => rows.map((row) => ({ tenantId: row.id, slug: row.slug }));

describe("health runs", () => {
  test("every tenant gets quick_check's outcome and its file size; damage and missing files are results, nothing is created", async () => {
    const { tenant: sickly } = await createTenantWithUsers("sickly");
    const { tenant: ghost } = await createTenantWithUsers("ghost");
    for (const tenant of [sickly, ghost]) env.manager.closeTenantDatabase(tenant.id);
    const fd = openSync(env.manager.tenantDatabasePath(sickly.id), "r+");
    writeSync(fd, Buffer.from("definitely not SQLite"), 0, 21, 0);
    closeSync(fd);
    for (const suffix of ["", "-wal", "-shm"]) rmSync(`${env.manager.tenantDatabasePath(ghost.id)}${suffix}`, { force: true });
    const filesBefore = readdirSync(env.dataDir)
      .filter((name) => name.startsWith("tenant_"))
      .sort();

    const started = ok(await admin.call<Run>("mutation", "maintenance.start", { kind: "health" }));
    expect(started).toMatchObject({ kind: "health", total: await tenantModel.count() });
    const run = await waitUntilEnded(started.id);
    expect(run).toMatchObject({ status: "completed", done: run.total, failed: 2, error: null, outcomes: { ok: run.total - 2, problem: 1, missing: 1 } });

    const all = ok(await admin.call<ResultsPage>("query", "maintenance.results", { runId: run.id, pageSize: 100 }));
    const bySlug = new Map(all.data.map((result) => [result.slug, result]));
    expect(bySlug.get("acme")).toMatchObject({ outcome: "ok", detail: "ok" });
    expect(bySlug.get("acme")?.databaseBytes).toBeGreaterThan(0);
    expect(bySlug.get("sickly")).toMatchObject({ outcome: "problem", detail: expect.stringMatching(/not a database/) as unknown });
    expect(bySlug.get("ghost")).toMatchObject({ outcome: "missing", detail: expect.stringMatching(/missing/) as unknown, databaseBytes: 0 });
    const problems = ok(await admin.call<ResultsPage>("query", "maintenance.results", { runId: run.id, outcome: "problem" }));
    expect(problems.data.map((result) => result.slug)).toEqual(["sickly"]);
    expect(
      readdirSync(env.dataDir)
        .filter((name) => name.startsWith("tenant_"))
        .sort(),
    ).toEqual(filesBefore);

    const [entry] = await adminAuditLogModel.findMany({ where: { action: "admin.maintenance_started" }, orderBy: { column: "createdAt", direction: "desc" } });
    expect(entry).toMatchObject({ adminId: admin.admin.id, details: { runId: run.id, kind: "health", only: null, total: run.total } });

    // Only the listed tenants; the latest run is what the dashboard opens on.
    const only = await waitUntilEnded(ok(await admin.call<Run>("mutation", "maintenance.start", { kind: "health", tenantIds: [tenants[0]?.id, ghost.id] })).id);
    expect(only).toMatchObject({ total: 2, done: 2, failed: 1 });
    expect(ok(await admin.call<Run[]>("query", "maintenance.list", { kind: "health" }))[0]?.id).toBe(only.id);
    for (const tenant of [sickly, ghost]) await tenantModel.deleteTenant(tenant.id);
  });

  test("bad input: an unknown tenant, a malformed id, an unknown kind or outcome, an unknown run: clear 4xx", async () => {
    const unknown = await admin.call("mutation", "maintenance.start", { kind: "health", tenantIds: ["00000000-0000-4000-8000-000000000000"] });
    expect(unknown.status).toBe(404);
    expect(unknown.error?.message).toMatch(/No tenant has the id 00000000-0000-4000-8000-000000000000/);
    expect((await admin.call("mutation", "maintenance.start", { kind: "health", tenantIds: ["../shared"] })).status).toBe(400);
    const kind = await admin.call("mutation", "maintenance.start", { kind: "vacuum" });
    expect(kind.status).toBe(400);
    expect(kind.error?.message).toMatch(/"health", "migrate", "repair" or "backup"/);
    const run = await waitUntilEnded(ok(await admin.call<Run>("mutation", "maintenance.start", { kind: "health", tenantIds: [tenants[0]?.id] })).id);
    const outcome = await admin.call("query", "maintenance.results", { runId: run.id, outcome: "applied" });
    expect(outcome.status).toBe(400);
    expect(outcome.error?.message).toMatch(/has no "applied" results; its outcomes are problem, missing, failed, deleted, on_postgres, ok/);
    expect((await admin.call("query", "maintenance.get", { id: "00000000-0000-4000-8000-000000000000" })).status).toBe(404);
    expect((await admin.call("query", "maintenance.results", { runId: run.id, pageSize: 1000 })).status).toBe(400);
  });

  test("only system administrators on the admin host may start or read runs", async () => {
    expect((await call("mutation", "maintenance.start", { kind: "health" }, { host: "admin.localhost" })).status).toBe(401);
    expect((await call("query", "maintenance.list", undefined, { host: "acme.localhost", cookie: admin.cookie })).status).toBe(403);
    const crossSite = await admin.call("mutation", "maintenance.start", { kind: "health" }, { origin: "http://acme.localhost" });
    expect(crossSite.status).toBe(403);
  });
});

describe("migrate runs", () => {
  test("migrates every tenant through the worker threads and records each result", async () => {
    const run = await waitUntilEnded(ok(await admin.call<Run>("mutation", "maintenance.start", { kind: "migrate" })).id);
    expect(run).toMatchObject({ kind: "migrate", status: "completed", total: tenants.length, done: tenants.length, failed: 0 });
    expect(run.outcomes).toEqual({ up_to_date: tenants.length });
    const page = ok(await admin.call<ResultsPage>("query", "maintenance.results", { runId: run.id }));
    expect(page.data.map((result) => result.slug).sort()).toEqual(["acme", "globex", "initech"]);
  });
});

describe("one run of a kind at a time, cancel", () => {
  test("a second start of the kind is a CONFLICT naming the running one's progress; another kind may run; cancel stops it", async () => {
    const gated = gatedTask();
    const { run, finished } = await startRun({ kind: "health", targets: targetsOf(tenants), task: gated.task, startedBy: null });
    const second = await admin.call("mutation", "maintenance.start", { kind: "health" });
    expect(second.status).toBe(409);
    expect(second.error?.message).toMatch(/A health run is already going \(0 of 3 tenants done, 0 failed, started .*\)\. Wait for it to finish or cancel it\./);
    // Migrations are another kind: they may run meanwhile.
    expect((await waitUntilEnded(ok(await admin.call<Run>("mutation", "maintenance.start", { kind: "migrate" })).id)).status).toBe("completed");

    const cancelling = ok(await admin.call<Run>("mutation", "maintenance.cancel", { id: run.id }));
    expect(cancelling).toMatchObject({ status: "running", cancelRequested: true });
    gated.open();
    const ended = await finished;
    expect(ended.status).toBe("cancelled");
    // The tenant in flight finished and is recorded; no other tenant was started.
    expect(gated.visited).toEqual(["acme"]);
    expect(ended.done).toBe(1);
    const again = await admin.call("mutation", "maintenance.cancel", { id: run.id });
    expect(again.status).toBe(409);
    expect(again.error?.message).toMatch(/already ended \(cancelled\)/);
    // Once it ended, the kind may run again.
    expect((await waitUntilEnded(ok(await admin.call<Run>("mutation", "maintenance.start", { kind: "health" })).id)).status).toBe("completed");
  });

  test("two starts at the same moment: exactly one runs", async () => {
    const gated = gatedTask();
    const starts = await Promise.allSettled([0, 1].map(() => startRun({ kind: "health", targets: targetsOf(tenants), task: gated.task, startedBy: null })));
    expect(starts.filter((start) => start.status === "fulfilled")).toHaveLength(1);
    expect(starts.filter((start) => start.status === "rejected").map((start) => (start.reason as Error).message)).toEqual([
      expect.stringMatching(/already going/) as unknown,
    ]);
    gated.open();
    for (const start of starts) if (start.status === "fulfilled") expect((await start.value.finished).status).toBe("completed");
  });
});

describe("a restart", () => {
  /** A run row as a server process that is gone left it: running, never finished. */
  function orphanRun(runner: { pid: number; id: string }, heartbeatAt = new Date()): string {
    const id = crypto.randomUUID();
    env.manager
      .getSharedDatabase()
      .insert(maintenanceRuns)
      .values({ id, kind: "health", status: "running", total: 3, done: 1, runnerPid: runner.pid, runnerId: runner.id, heartbeatAt })
      .run();
    return id;
  }

  test("marks the run of a process that is gone as failed on the first look, and the kind can run again", async () => {
    const exited = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
    const deadPid = Number(exited.stdout);
    const runners = [
      { pid: deadPid, id: "previous-server" },
      // The new server got the old one's pid (containers start at the same pid): another runner id.
      { pid: process.pid, id: "previous-server-same-pid" },
    ];
    for (const runner of runners) {
      const id = orphanRun(runner);
      const run = ok(await admin.call<Run>("query", "maintenance.get", { id }));
      expect(run).toMatchObject({ status: "failed", error: INTERRUPTED_MESSAGE, done: 1 });
      await maintenanceRunModel.delete(id);
    }
    const listed = orphanRun({ pid: deadPid, id: "previous-server" });
    expect(ok(await admin.call<Run[]>("query", "maintenance.list")).find((run) => run.id === listed)?.status).toBe("failed");
    const orphan = orphanRun({ pid: deadPid, id: "previous-server" });
    const rerun = await waitUntilEnded(ok(await admin.call<Run>("mutation", "maintenance.start", { kind: "health" })).id);
    expect(rerun.status).toBe("completed");
    expect((await maintenanceRunModel.findById(orphan))?.status).toBe("failed");
  });

  test("a server killed mid-run (SIGKILL): its run is failed as interrupted, with what it recorded, and a new run goes", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", "test/fixtures/maintenance-hang.ts"], {
      cwd: join(import.meta.dirname, ".."),
      env: { ...process.env, ...installationEnvironment(env.manager) },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const exited = new Promise<unknown>((resolve) => child.on("exit", (code, signal) => resolve(signal ?? code)));
    let stdout = "";
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const killed = () => {
      child.kill("SIGKILL");
    };
    onTestFinished(killed);
    const runId = await new Promise<string>((resolve, reject) => {
      child.stdout.on("data", (chunk: Buffer) => {
        stdout += chunk.toString();
        const match = /running ([0-9a-f-]{36})/.exec(stdout);
        if (match?.[1]) resolve(match[1]);
      });
      child.on("exit", () => reject(new Error(`the fixture exited early: ${stderr}`)));
    });
    // Alive: its run is left alone, and blocks another of its kind.
    expect(ok(await admin.call<Run>("query", "maintenance.get", { id: runId })).status).toBe("running");
    expect((await admin.call("mutation", "maintenance.start", { kind: "health" })).status).toBe(409);
    killed();
    expect(await exited).toBe("SIGKILL");
    expect(ok(await admin.call<Run>("query", "maintenance.get", { id: runId }))).toMatchObject({ status: "failed", error: INTERRUPTED_MESSAGE, done: 1 });
    expect((await waitUntilEnded(ok(await admin.call<Run>("mutation", "maintenance.start", { kind: "health" })).id)).status).toBe("completed");
  });

  test("a live run of another process is left alone until its heartbeat goes stale", async () => {
    // This test's parent process stands in for another live server.
    const other = { pid: process.ppid, id: "other-server" };
    const fresh = orphanRun(other);
    expect(ok(await admin.call<Run>("query", "maintenance.get", { id: fresh })).status).toBe("running");
    expect((await admin.call("mutation", "maintenance.start", { kind: "health" })).status).toBe(409);
    env.manager
      .getSharedDatabase()
      .update(maintenanceRuns)
      .set({ heartbeatAt: new Date(Date.now() - 61_000) })
      .where(eq(maintenanceRuns.id, fresh))
      .run();
    expect(ok(await admin.call<Run>("query", "maintenance.get", { id: fresh })).status).toBe("failed");
  });

  test("a run of this process is never taken for an interrupted one", async () => {
    const gated = gatedTask();
    const { run, finished } = await startRun({ kind: "health", targets: targetsOf(tenants), task: gated.task, startedBy: null });
    expect(processRunner().live.has(run.id)).toBe(true);
    expect(ok(await admin.call<Run>("query", "maintenance.get", { id: run.id })).status).toBe("running");
    gated.open();
    expect((await finished).status).toBe("completed");
  });
});

describe("results paging", () => {
  test("pages of a run's results in completion order, without overlap, filtered by outcome", async () => {
    const targets = Array.from({ length: 120 }, (_, index) => ({ tenantId: crypto.randomUUID(), slug: `t${index}` }));
    const task = perTenantTask(async (target) => {
      const bad = Number(target.slug.slice(1)) % 7 === 0;
      return { outcome: bad ? "problem" : "ok", detail: bad ? "damaged" : "ok", databaseBytes: 1, failed: bad };
    });
    const { run, finished } = await startRun({ kind: "health", targets, task, startedBy: null });
    expect((await finished).done).toBe(120);
    const seen: string[] = [];
    for (let page = 1; page <= 3; page += 1) {
      const result = ok(await admin.call<ResultsPage>("query", "maintenance.results", { runId: run.id, page, pageSize: 50 }));
      expect(result).toMatchObject({ total: 120, totalPages: 3, page });
      seen.push(...result.data.map((row) => row.slug));
    }
    expect(seen).toEqual(targets.map((target) => target.slug));
    const problems = ok(await admin.call<ResultsPage>("query", "maintenance.results", { runId: run.id, outcome: "problem", pageSize: 10 }));
    expect(problems.total).toBe(18);
    expect(problems.data.every((row) => row.outcome === "problem")).toBe(true);
    expect(ok(await admin.call<Run>("query", "maintenance.get", { id: run.id }))).toMatchObject({ failed: 18, outcomes: { ok: 102, problem: 18 } });
  });
});
