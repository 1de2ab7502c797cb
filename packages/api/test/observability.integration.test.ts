import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, rmSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { join } from "node:path";
import { Writable } from "node:stream";
import { HybridDatabaseManager, maintenanceRunModel, tenantBackupModel, tenantModel } from "@sigil/db";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { readApiConfig } from "../src/config.ts";
import { readEdgeConfig } from "../src/http/edge.ts";
import { startApiServer } from "../src/http/node-server.ts";
import { installLogger } from "../src/observability/logger.ts";
import { installSlowQueryLog } from "../src/observability/slow-query-log.ts";
import { readObservabilitySettings } from "../src/server-settings.ts";
import { signInSystemAdmin, type AdminSession } from "./admin-session.ts";
import { createTenantWithUsers, tenantInput, useTestEnv, type TestEnv } from "./harness.ts";

/**
 * The operations endpoints on the real HTTP server (startApiServer: the edge and the API path of
 * the web server), with the real worker process (scripts/worker.ts) on the same data directory:
 * health, readiness (and what makes it fail), metrics access and content, the tenant label cap,
 * request ids in the logs, the slow-statement log.
 */
const API_DIR = join(import.meta.dirname, "..");
const METRICS_TOKEN = "test-metrics-token-0123456789";
const TENANT_LABELS = 2;

let env: TestEnv;
let server: Awaited<ReturnType<typeof startApiServer>>;
let worker: ChildProcess | undefined;
let admin: AdminSession;
const logLines: Record<string, unknown>[] = [];

const logCapture = new Writable({
  write(chunk: Buffer, _encoding, done) {
    for (const line of chunk.toString("utf8").split("\n")) if (line.trim() !== "") logLines.push(JSON.parse(line) as Record<string, unknown>);
    done();
  },
});

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** A raw HTTP request to the server (Node's fetch would replace the Host header). */
function get(path: string, headers: Record<string, string> = {}, method = "GET"): Promise<Answer> {
  const url = new URL(path, server.url);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: url.hostname, port: url.port, path: url.pathname + url.search, method, headers: { host: url.host, ...headers } }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

function startWorker(): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/worker.ts"], {
    cwd: API_DIR,
    env: { ...process.env, DATA_DIR: env.dataDir, LOG_FORMAT: "json", NODE_ENV: "production" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const wait = setInterval(() => {
      if (/woken by new executions/.test(output)) {
        clearInterval(wait);
        resolve(child);
      } else if (child.exitCode !== null || Date.now() - started > 30_000) {
        clearInterval(wait);
        reject(new Error(`the worker did not start:\n${output}`));
      }
    }, 50);
  });
}

async function stopWorker(): Promise<void> {
  const child = worker;
  worker = undefined;
  if (!child || child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await exited;
}

beforeAll(async () => {
  env = await useTestEnv();
  await createTenantWithUsers("acme");
  admin = await signInSystemAdmin();
  const observability = readObservabilitySettings({ METRICS_TOKEN, METRICS_TENANT_LABELS: String(TENANT_LABELS), LOG_LEVEL: "debug" });
  await installLogger({ ...observability, logFormat: "json" }, logCapture);
  server = await startApiServer(0, "127.0.0.1", readEdgeConfig({}), { config: readApiConfig({}), observability });
  worker = await startWorker();
}, 60_000);

afterAll(async () => {
  installSlowQueryLog(null);
  await stopWorker();
  await server.close();
  env.cleanup();
});

describe("/api/health", () => {
  test("answers 200 {status: ok} on an IP-literal host and on a tenant's host", async () => {
    for (const host of [undefined, "acme.localhost", "[::1]"]) {
      const answer = await get("/api/health", host ? { host } : {});
      expect(answer.status).toBe(200);
      expect(JSON.parse(answer.body)).toEqual({ status: "ok" });
      expect(answer.headers["cache-control"]).toBe("no-store");
    }
  });

  test("answers GET and HEAD only", async () => {
    const answer = await get("/api/health", {}, "POST");
    expect(answer.status).toBe(405);
    expect(answer.headers.allow).toBe("GET, HEAD");
  });
});

describe("/api/ready", () => {
  /** The checks' details as the log has them (the answer leaves them out). */
  function loggedChecks(reqId: string): Record<string, { detail?: Record<string, unknown> }> {
    const line = logLines.find((entry) => entry.reqId === reqId && (entry.msg === "ready" || entry.msg === "not ready"));
    return (line?.checks ?? {}) as Record<string, { detail?: Record<string, unknown> }>;
  }

  test("answers 200 when shared.sqlite is writable, a workspace file opens and the worker answers; the details are only logged", async () => {
    const answer = await get("/api/ready", { "x-request-id": "ready-1" });
    expect(answer.status, answer.body).toBe(200);
    const body = JSON.parse(answer.body) as { status: string; checks: Record<string, { ok: boolean; ms: number }> };
    expect(body.status).toBe("ready");
    expect(Object.keys(body.checks).sort()).toEqual(["shared", "tenant", "worker"]);
    for (const check of Object.values(body.checks)) expect(Object.keys(check).sort()).toEqual(["ms", "ok"]);
    // Anyone may ask: the answer names no workspace, no worker host or pid.
    expect(answer.body).not.toMatch(/acme|pid|running/);
    const checks = loggedChecks("ready-1");
    expect(checks.tenant?.detail).toEqual({ tenant: "acme" });
    expect(checks.worker?.detail).toMatchObject({ running: true, pid: worker?.pid });
  });

  test("samples a different active workspace each time", async () => {
    await tenantModel.createTenant(tenantInput("ready-two"));
    const sampled = new Set<unknown>();
    for (let index = 0; index < 4; index++) {
      await get("/api/ready", { "x-request-id": `sample-${index}` });
      sampled.add(loggedChecks(`sample-${index}`).tenant?.detail?.tenant);
    }
    expect([...sampled].sort()).toEqual(["acme", "ready-two"]);
  });

  test("answers 503 naming tenant, without the workspace's slug, when a sampled workspace's file is gone", async () => {
    const gone = await tenantModel.createTenant(tenantInput("ready-gone"));
    rmSync(env.manager.tenantDatabasePath(gone.id));
    try {
      let failed: { status: number; body: string; reqId: string } | undefined;
      for (let index = 0; index < 5 && failed === undefined; index++) {
        const answer = await get("/api/ready", { "x-request-id": `gone-${index}` });
        if (answer.status !== 200) failed = { status: answer.status, body: answer.body, reqId: `gone-${index}` };
      }
      expect(failed?.status).toBe(503);
      const body = JSON.parse(failed?.body ?? "{}") as { failing: string[]; checks: { tenant: { error: string } } };
      expect(body.failing).toEqual(["tenant"]);
      expect(body.checks.tenant.error).toMatch(/^a workspace's file did not open: /);
      expect(failed?.body).not.toContain("ready-gone");
      expect(loggedChecks(failed?.reqId ?? "").tenant?.detail).toEqual({ tenant: "ready-gone" });
    } finally {
      await tenantModel.deleteTenant(gone.id);
    }
  });

  test("answers 503 naming shared when another connection holds shared.sqlite's write lock", async () => {
    // Another process's connection (a CLI run, a stuck writer), as a manager of its own.
    const other = new HybridDatabaseManager({ dataDir: env.dataDir });
    const blocker = other.getSharedDatabase().$client;
    blocker.exec("BEGIN IMMEDIATE");
    try {
      const answer = await get("/api/ready");
      expect(answer.status).toBe(503);
      const body = JSON.parse(answer.body) as { status: string; failing: string[]; checks: { shared: { error: string } } };
      expect(body).toMatchObject({ status: "unavailable", failing: ["shared"] });
      expect(body.checks.shared.error).toMatch(/locked/);
    } finally {
      blocker.exec("ROLLBACK");
      other.close();
    }
    expect((await get("/api/ready")).status).toBe(200);
  });
});

describe("/api/ready without the worker", () => {
  test("answers 503 naming the worker when its process is gone, and 200 again once one runs", async () => {
    await stopWorker();
    const answer = await get("/api/ready");
    expect(answer.status).toBe(503);
    const body = JSON.parse(answer.body) as { failing: string[]; checks: { worker: { error: string } } };
    expect(body.failing).toEqual(["worker"]);
    expect(body.checks.worker.error).toBe("no worker is listening on the status socket");
    expect(existsSync(join(env.dataDir, "worker.sock"))).toBe(false);
    worker = await startWorker();
    expect((await get("/api/ready")).status).toBe(200);
  }, 60_000);
});

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe("/api/metrics access", () => {
  test("the metrics token opens it on any host, IP literals included", async () => {
    for (const host of [undefined, "acme.localhost", "admin.localhost"]) {
      const answer = await get("/api/metrics", { ...bearer(METRICS_TOKEN), ...(host ? { host } : {}) });
      expect(answer.status, host).toBe(200);
      expect(answer.headers["content-type"]).toMatch(/^text\/plain; version=0\.0\.4/);
    }
  });

  test("no credential, or a wrong token, is a 401 with a sentence and a Bearer challenge", async () => {
    const missing = await get("/api/metrics");
    expect(missing.status).toBe(401);
    expect(missing.headers["www-authenticate"]).toMatch(/^Bearer/);
    expect(JSON.parse(missing.body)).toEqual({
      error: { message: "Send Authorization: Bearer <METRICS_TOKEN>, or sign in as a system administrator on admin.localhost." },
    });
    for (const token of [`${METRICS_TOKEN}x`, METRICS_TOKEN.slice(0, -1), "x"]) {
      for (const host of [undefined, "admin.localhost"]) {
        const wrong = await get("/api/metrics", { ...bearer(token), ...(host ? { host } : {}) });
        expect(wrong.status).toBe(401);
        expect(JSON.parse(wrong.body)).toEqual({ error: { message: "The metrics token is not valid." } });
        expect(wrong.body).not.toContain("sigil_http");
      }
    }
  });

  test("a system administrator's session opens it on the admin host only", async () => {
    const cookie = admin.cookie;
    expect((await get("/api/metrics", { host: "admin.localhost", cookie })).status).toBe(200);
    expect((await get("/api/metrics", { host: "acme.localhost", cookie })).status).toBe(401);
    expect((await get("/api/metrics", { cookie })).status).toBe(401);
    const ended = await get("/api/metrics", { host: "admin.localhost", cookie: "sigil_admin_session=forged" });
    expect(ended.status).toBe(401);
  });

  test("a system administrator's sgla_ key opens it on the admin host; a malformed one is refused as the admin console refuses it", async () => {
    const created = await admin.call<{ key: string }>("mutation", "admin.createApiKey", { name: "scraper" });
    const key = created.data?.key ?? "";
    expect(key).toMatch(/^sgla_/);
    expect((await get("/api/metrics", { host: "admin.localhost", ...bearer(key) })).status).toBe(200);
    expect((await get("/api/metrics", bearer(key))).status).toBe(401);
    const wrongSecret = `${key.slice(0, -1)}${key.endsWith("A") ? "B" : "A"}`;
    expect((await get("/api/metrics", { host: "admin.localhost", ...bearer(wrongSecret) })).status).toBe(401);
    expect((await get("/api/metrics", { host: "admin.localhost", ...bearer("sgla_malformed") })).status).toBe(403);
  });
});

/** The value of one series line (`name{labels} value`), or undefined when absent. */
function sample(text: string, series: string): number | undefined {
  const line = text.split("\n").find((entry) => entry.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

async function scrape(): Promise<string> {
  const answer = await get("/api/metrics", bearer(METRICS_TOKEN));
  expect(answer.status).toBe(200);
  return answer.body;
}

describe("/api/metrics content", () => {
  test("per-procedure counts and latency histograms, by HTTP status, after a few calls", async () => {
    const before = await scrape();
    const count = (text: string) => sample(text, 'sigil_http_requests_total{procedure="auth.me",status="401"}') ?? 0;
    for (let index = 0; index < 3; index++) expect((await get("/api/trpc/auth.me", { "x-tenant-id": "acme" })).status).toBe(401);
    const after = await scrape();
    expect(count(after) - count(before)).toBe(3);
    expect(sample(after, 'sigil_http_request_duration_seconds_count{procedure="auth.me",status="401"}')).toBe(count(after));
    expect(after).toMatch(/^sigil_http_request_duration_seconds_bucket\{le="0\.005",procedure="auth\.me",status="401"\} \d+$/m);
    // Operations routes have their own fixed labels.
    expect(after).toMatch(/^sigil_http_requests_total\{procedure="\/api\/metrics",status="200"\} \d+$/m);
  });

  test("invented procedure names and paths are folded into one label value", async () => {
    for (const name of ["no.such", "x".repeat(40), "prompts.list%2Cmade.up"]) await get(`/api/trpc/${name}`, { "x-tenant-id": "acme" });
    const text = await scrape();
    expect(text).not.toMatch(/no\.such|xxxxxxxx|made\.up/);
    expect(sample(text, 'sigil_http_requests_total{procedure="unknown",status="404"}')).toBeGreaterThanOrEqual(2);
  });

  test("workspaces beyond METRICS_TENANT_LABELS are counted as other", async () => {
    const slugs = Array.from({ length: TENANT_LABELS + 5 }, (_, index) => `cap-${index}`);
    for (const slug of slugs) await tenantModel.createTenant(tenantInput(slug));
    for (const slug of slugs) await get("/api/trpc/auth.me", { "x-tenant-id": slug });
    const text = await scrape();
    const tenantLabels = [...text.matchAll(/^sigil_tenant_requests_total\{tenant="([^"]+)"\}/gm)].map((match) => match[1]);
    // acme took one of the labels first; every later workspace is "other".
    expect(tenantLabels.sort()).toEqual(["acme", "cap-0", "other"].sort());
    expect(sample(text, 'sigil_tenant_requests_total{tenant="other"}')).toBe(TENANT_LABELS + 5 - 1);
  });

  test("the pool, the worker's queue and series, the schema state and the process", async () => {
    const text = await scrape();
    expect(sample(text, "sigil_tenant_handles_open")).toBeGreaterThanOrEqual(1);
    expect(sample(text, "sigil_tenant_pool_capacity")).toBe(16);
    expect(sample(text, "sigil_tenant_pool_misses_total")).toBeGreaterThanOrEqual(1);
    expect(text).toMatch(/^sigil_tenant_pool_hits_total \d+$/m);
    expect(text).toMatch(/^sigil_tenant_pool_evictions_total \d+$/m);
    expect(sample(text, 'sigil_worker_queue_tenants{state="pending"}')).toBe(0);
    expect(sample(text, 'sigil_tenant_schema{state="behind"}')).toBe(0);
    expect(sample(text, "sigil_worker_up")).toBe(1);
    expect(sample(text, "sigil_worker_uptime_seconds")).toBeGreaterThanOrEqual(0);
    expect(text).toMatch(/^# TYPE sigil_worker_execution_duration_seconds histogram$/m);
    expect(text).toMatch(/^process_cpu_user_seconds_total /m);
    // One family per name: the worker's series never repeat the web server's.
    const families = [...text.matchAll(/^# TYPE (\S+)/gm)].map((match) => match[1]);
    expect(new Set(families).size).toBe(families.length);
  });
});

describe("/api/metrics: backups", () => {
  test("the newest and the stalest good backup's age, and the active workspaces without one", async () => {
    const tenants = await tenantModel.findActive();
    const before = await scrape();
    expect(before).not.toMatch(/^sigil_backup_age_seconds\{/m);
    expect(sample(before, "sigil_backup_tenants_without_backup")).toBe(tenants.length);
    const [first, second] = tenants;
    if (!first || !second) throw new Error("the suite needs two active workspaces");
    const now = Date.now();
    const row = (tenantId: string, ageMs: number, outcome: "ok" | "failed") => ({
      tenantId,
      setPath: "/backups/set",
      takenAt: new Date(now - ageMs),
      outcome,
      bytes: outcome === "ok" ? 4096 : null,
      sha256: null,
      reused: false,
      error: outcome === "ok" ? null : "disk full",
    });
    // The first workspace: good an hour ago, failed since. The second: good a minute ago.
    await tenantBackupModel.record([row(first.id, 3_600_000, "ok"), row(first.id, 30_000, "failed"), row(second.id, 60_000, "ok")]);
    const after = await scrape();
    expect(sample(after, 'sigil_backup_age_seconds{which="newest"}')).toBeGreaterThanOrEqual(60);
    expect(sample(after, 'sigil_backup_age_seconds{which="newest"}')).toBeLessThan(3_600);
    expect(sample(after, 'sigil_backup_age_seconds{which="stalest_tenant"}')).toBeGreaterThanOrEqual(3_600);
    expect(sample(after, "sigil_backup_tenants_without_backup")).toBe(tenants.length - 2);
  });
});

describe("/api/metrics: maintenance runs", () => {
  test("the latest health run's workspaces by outcome", async () => {
    const run = await admin.call<{ id: string; total: number }>("mutation", "maintenance.start", { kind: "health" });
    const runId = run.data?.id ?? "";
    while ((await maintenanceRunModel.findById(runId))?.status === "running") await new Promise((resolve) => setTimeout(resolve, 50));
    const text = await scrape();
    const outcomes = [...text.matchAll(/^sigil_maintenance_last_run_tenants\{kind="health",outcome="([a-z_]+)"\} (\d+)$/gm)];
    expect(outcomes.map((match) => match[1])).toEqual(["ok"]);
    expect(Number(outcomes[0]?.[2])).toBe(await tenantModel.count());
  }, 30_000);
});

describe("logs", () => {
  test("every line of a request carries its id (the caller's, when well formed) and the workspace's slug", async () => {
    logLines.length = 0;
    const answer = await get("/api/trpc/auth.me", { "x-tenant-id": "acme", "x-request-id": "trace-42.a" });
    expect(answer.headers["x-request-id"]).toBe("trace-42.a");
    const lines = logLines.filter((line) => line.reqId === "trace-42.a");
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.every((line) => line.slug === "acme")).toBe(true);
  });

  test("a malformed x-request-id is replaced by a new one", async () => {
    const answer = await get("/api/health", { "x-request-id": 'forged" level=fatal' });
    expect(answer.headers["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
  });

  test("a request with a body keeps its id and slug on the lines logged after the body was read", async () => {
    logLines.length = 0;
    installSlowQueryLog(0);
    try {
      const body = JSON.stringify({ json: { email: "admin@acme.test", password: "secret-password-123" } });
      const url = new URL("/api/trpc/auth.login", server.url);
      await new Promise<void>((resolve, reject) => {
        const req = httpRequest(
          {
            host: url.hostname,
            port: url.port,
            path: url.pathname,
            method: "POST",
            headers: { host: "acme.localhost", "content-type": "application/json", "x-request-id": "post-1" },
          },
          (res) => {
            res.resume();
            res.on("end", resolve);
          },
        );
        req.on("error", reject);
        req.end(body);
      });
    } finally {
      installSlowQueryLog(null);
    }
    const slow = logLines.filter((line) => line.msg === "slow SQLite statement");
    expect(slow.length).toBeGreaterThan(0);
    const tenantStatement = slow.find((line) => line.reqId === "post-1" && line.slug === "acme");
    expect(tenantStatement).toBeDefined();
    for (const line of slow) {
      expect(typeof line.sql).toBe("string");
      expect(typeof line.durationMs).toBe("number");
      expect(line.database).toMatch(/^(shared|tenant_[0-9a-f-]+)\.sqlite$/);
    }
    // Parameters never reach the log: not the email, not the password.
    expect(JSON.stringify(logLines)).not.toMatch(/admin@acme\.test|secret-password-123/);
  });
});
