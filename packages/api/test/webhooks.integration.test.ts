import { spawn } from "node:child_process";
import { createHmac, randomUUID } from "node:crypto";
import { join } from "node:path";
import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import {
  deploymentModel,
  executionModel,
  promptModel,
  settingsModel,
  tenantContext,
  tenantModel,
  tenantWorkModel,
  webhookDeliveryModel,
  type PromptRow,
  type TenantRow,
  type WebhookDeliveryRow,
} from "@sigil/db";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { ExecutionWorker, parseOutboundAllow, WebhookDeliverer, type WebhookEvent } from "../src/index.ts";
import { call, createTenantWithUsers, login, openTenantFileDescriptors, useTestEnv, type TestEnv } from "./harness.ts";

/**
 * Webhooks end to end against a local receiver: events written with the execution's outcome,
 * sent only by the worker's deliverer, signed, retried with backoff, expired after 24 h, refused
 * on loopback without the allow-list, filtered per deployment, never lost or doubled when a
 * worker dies mid-delivery, and an idle deliverer opens no tenant file.
 */

/**
 * Checks a Sigil-Signature the way a receiver following docs/webhooks.md would, written out
 * here (not Sigil's own verifier) so a signer and verifier broken the same way still fail.
 */
function verifyWebhookSignature(secret: string, header: string, body: string, options: { nowSeconds?: number } = {}): boolean {
  const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header);
  if (!match?.[1] || !match[2]) return false;
  const now = options.nowSeconds ?? Math.floor(Date.now() / 1000);
  if (Math.abs(now - Number(match[1])) > 300) return false;
  return createHmac("sha256", secret).update(`${match[1]}.${body}`).digest("hex") === match[2];
}

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A local receiver: records every request; `respond` decides each answer (default 200). */
interface Receiver {
  url: string;
  host: string;
  received: Received[];
  respond: (request: Received, response: ServerResponse) => void;
  close: () => Promise<void>;
}

async function startReceiver(): Promise<Receiver> {
  const receiver: Receiver = {
    url: "",
    host: "",
    received: [],
    respond: (_request, response) => response.writeHead(200).end("ok"),
    close: async () => undefined,
  };
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const received = { headers: request.headers, body: Buffer.concat(chunks).toString("utf8") };
      receiver.received.push(received);
      receiver.respond(received, response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  receiver.url = `http://127.0.0.1:${port}/hooks`;
  receiver.host = `127.0.0.1:${port}`;
  receiver.close = () =>
    new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return receiver;
}

let env: TestEnv;
let receiver: Receiver;
const previousAllow = process.env.SIGIL_OUTBOUND_ALLOW;

beforeAll(async () => {
  env = await useTestEnv();
  receiver = await startReceiver();
  // Saving a webhook on 127.0.0.1 is refused unless the operator allows it (as for providers).
  process.env.SIGIL_OUTBOUND_ALLOW = receiver.host;
});
afterAll(async () => {
  process.env.SIGIL_OUTBOUND_ALLOW = previousAllow;
  await receiver.close();
  env.cleanup();
});

const activeTenants: TenantRow[] = [];
afterEach(async () => {
  receiver.received.length = 0;
  receiver.respond = (_request, response) => response.writeHead(200).end("ok");
  for (const tenant of activeTenants.splice(0)) await tenantModel.suspend(tenant.id);
});

interface Workspace {
  tenant: TenantRow;
  cookie: string;
  prompt: PromptRow;
}

async function newWorkspace(prefix: string): Promise<Workspace> {
  const slug = `${prefix}-${randomUUID().slice(0, 6)}`;
  const { tenant } = await createTenantWithUsers(slug);
  activeTenants.push(tenant);
  const cookie = await login(slug, `admin@${slug}.test`);
  const prompt = await inTenant(tenant, () => promptModel.create({ name: "greet", template: "Hello {{name}}!", acceptsFiles: false, responseSchema: null }));
  return { tenant, cookie, prompt };
}

function inTenant<T>(tenant: TenantRow, fn: () => Promise<T>): Promise<T> {
  return tenantContext.runWithTenant(tenant.id, fn);
}

async function saveWebhook(
  ws: Workspace,
  identifier: string,
  options: { events?: string[]; deploymentId?: string | null; url?: string } = {},
): Promise<{ secret: string | null; error?: string }> {
  const result = await call<{ secret: string | null }>(
    "mutation",
    "settings.saveWebhook",
    {
      identifier,
      url: options.url ?? receiver.url,
      events: options.events ?? ["execution.completed", "execution.failed"],
      enabled: true,
      deploymentId: options.deploymentId ?? null,
    },
    { tenant: ws.tenant.slug, cookie: ws.cookie },
  );
  if (result.error) return { secret: null, error: result.error.message };
  return { secret: result.data?.secret ?? null };
}

async function runExecution(ws: Workspace, options: { deploymentId?: string; name?: string } = {}): Promise<string> {
  const execution = await inTenant(ws.tenant, () =>
    executionModel.createWithinMonthlyLimit(
      {
        promptId: ws.prompt.id,
        promptVersion: 1,
        input: { name: options.name ?? "Ada" },
        provider: "template",
        model: "",
        fileIds: [],
        deploymentId: options.deploymentId ?? null,
      },
      { executions: 1_000, tokens: null },
    ),
  );
  await new ExecutionWorker({ wakeOnSignal: false }).runOnce();
  return execution.id;
}

async function deliveries(ws: Workspace): Promise<WebhookDeliveryRow[]> {
  return inTenant(ws.tenant, () => webhookDeliveryModel.findMany({ orderBy: { column: "createdAt" } }));
}

/** A deliverer allowed to reach the receiver, with a clock the test moves. */
function deliverer(clock: { now: number }, options: { allow?: string; events?: WebhookEvent[]; timeoutMs?: number; leaseMs?: number } = {}) {
  return new WebhookDeliverer({
    outbound: { allow: parseOutboundAllow(options.allow ?? receiver.host) },
    wakeOnSignal: false,
    now: () => new Date(clock.now),
    random: () => 0,
    timeoutMs: options.timeoutMs ?? 2_000,
    leaseMs: options.leaseMs ?? 5_000,
    onEvent: (event) => options.events?.push(event),
  });
}

describe("an execution's outcome", () => {
  test("a completed execution becomes one signed delivery whose signature verifies", async () => {
    const ws = await newWorkspace("wh-sign");
    const { secret, error } = await saveWebhook(ws, "main");
    expect(error).toBeUndefined();
    expect(secret).toMatch(/^whsec_/);
    const executionId = await runExecution(ws);

    // Written with the outcome, before any deliverer ran: nothing was sent by the execution worker.
    const queued = await deliveries(ws);
    expect(queued).toHaveLength(1);
    expect(queued[0]).toMatchObject({ webhook: "main", event: "execution.completed", status: "pending", attempts: 0 });
    expect(receiver.received).toHaveLength(0);
    expect(await tenantWorkModel.webhooksDueAt(ws.tenant.id)).not.toBeNull();

    const clock = { now: Date.now() };
    expect(await deliverer(clock).runOnce()).toMatchObject({ attempted: 1, delivered: 1, errors: [] });
    expect(receiver.received).toHaveLength(1);
    const [request] = receiver.received;
    if (!request || !secret) throw new Error("no request");
    expect(request.headers["user-agent"]).toBe("Sigil-Webhooks");
    expect(request.headers["sigil-event"]).toBe("execution.completed");
    expect(request.headers["content-type"]).toBe("application/json");
    const signature = String(request.headers["sigil-signature"]);
    expect(signature).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(verifyWebhookSignature(secret, signature, request.body, { nowSeconds: Math.floor(clock.now / 1000) })).toBe(true);
    expect(verifyWebhookSignature(secret, signature, request.body.replace("Ada", "Eve"), { nowSeconds: Math.floor(clock.now / 1000) })).toBe(false);
    const body = JSON.parse(request.body) as Record<string, unknown>;
    expect(body).toMatchObject({
      id: request.headers["sigil-event-id"],
      type: "execution.completed",
      tenant: { id: ws.tenant.id, slug: ws.tenant.slug },
      data: {
        id: executionId,
        prompt: { id: ws.prompt.id, name: "greet", version: 1 },
        status: "completed",
        result: "Hello Ada!",
        provider: "template",
        deployment: null,
      },
    });

    const log = await call<{ data: { status: string; attempts: number; lastStatusCode: number; lastDurationMs: number; nextAttemptAt: unknown }[] }>(
      "query",
      "webhooks.deliveries",
      { identifier: "main" },
      { tenant: ws.tenant.slug, cookie: ws.cookie },
    );
    expect(log.data?.data).toMatchObject([{ status: "delivered", attempts: 1, lastStatusCode: 200, nextAttemptAt: null }]);
    expect(await tenantWorkModel.webhooksDueAt(ws.tenant.id)).toBeNull();
  });

  test("a failing receiver is retried with backoff (30 s, 1 min) until it answers 2xx", async () => {
    const ws = await newWorkspace("wh-retry");
    await saveWebhook(ws, "flaky");
    await runExecution(ws, { name: "Bob" });
    const answers = [500, 503, 204];
    receiver.respond = (_request, response) => response.writeHead(answers.shift() ?? 500).end();
    const clock = { now: Date.now() };
    const worker = deliverer(clock);

    expect(await worker.runOnce()).toMatchObject({ attempted: 1, retried: 1 });
    let [row] = await deliveries(ws);
    expect(row).toMatchObject({ status: "pending", attempts: 1, lastStatusCode: 500, lastError: "The receiver answered HTTP 500." });
    expect(row?.nextAttemptAt?.getTime()).toBe(clock.now + 30_000);
    expect(await tenantWorkModel.webhooksDueAt(ws.tenant.id)).toBe(clock.now + 30_000);

    clock.now += 29_000;
    expect(await worker.runOnce()).toMatchObject({ attempted: 0 });
    clock.now += 1_000;
    expect(await worker.runOnce()).toMatchObject({ attempted: 1, retried: 1 });
    [row] = await deliveries(ws);
    expect(row).toMatchObject({ status: "pending", attempts: 2, lastStatusCode: 503 });
    expect(row?.nextAttemptAt?.getTime()).toBe(clock.now + 60_000);

    clock.now += 60_000;
    expect(await worker.runOnce()).toMatchObject({ attempted: 1, delivered: 1 });
    [row] = await deliveries(ws);
    expect(row).toMatchObject({ status: "delivered", attempts: 3, lastStatusCode: 204, lastError: null });
    expect(receiver.received).toHaveLength(3);
    expect(new Set(receiver.received.map((request) => request.headers["sigil-event-id"])).size).toBe(1);
  });

  test("a delivery still failing 24 h after its event is failed and not tried again", async () => {
    const ws = await newWorkspace("wh-expire");
    await saveWebhook(ws, "down");
    await runExecution(ws);
    receiver.respond = (_request, response) => response.writeHead(502).end();
    const start = Date.now();
    const clock = { now: start };
    const worker = deliverer(clock);
    let [row] = await deliveries(ws);
    for (let pass = 0; pass < 100 && row?.status === "pending"; pass += 1) {
      clock.now = Math.max(clock.now, row.nextAttemptAt?.getTime() ?? clock.now);
      await worker.runOnce();
      [row] = await deliveries(ws);
    }
    expect(row).toMatchObject({ status: "failed", lastStatusCode: 502 });
    expect(row?.lastError).toMatch(/not delivered within 24 hours/);
    // 30 s, 1, 2, 4 … 32 min (≈ 1 h), then hourly: about 29 attempts in 24 h.
    expect(row?.attempts).toBeGreaterThan(20);
    expect(row?.attempts).toBeLessThan(35);
    expect(clock.now - start).toBeLessThan(24 * 3_600_000);
    const attempts = receiver.received.length;
    clock.now = start + 48 * 3_600_000;
    expect(await worker.runOnce()).toMatchObject({ attempted: 0 });
    expect(receiver.received).toHaveLength(attempts);
    expect(await tenantWorkModel.webhooksDueAt(ws.tenant.id)).toBeNull();
  });

  test("a loopback receiver is refused unless SIGIL_OUTBOUND_ALLOW names it", async () => {
    const ws = await newWorkspace("wh-guard");
    process.env.SIGIL_OUTBOUND_ALLOW = "";
    try {
      expect((await saveWebhook(ws, "local")).error).toMatch(/loopback|Sigil connects only to public addresses/);
    } finally {
      process.env.SIGIL_OUTBOUND_ALLOW = receiver.host;
    }
    await saveWebhook(ws, "local");
    await runExecution(ws);
    const events: WebhookEvent[] = [];
    expect(await deliverer({ now: Date.now() }, { allow: "", events }).runOnce()).toMatchObject({ attempted: 1, retried: 1 });
    expect(receiver.received).toHaveLength(0);
    const [row] = await deliveries(ws);
    expect(row).toMatchObject({ status: "pending", lastStatusCode: null, lastError: "The destination could not be reached." });
    // The operator's log says why; the tenant's log does not.
    expect(events).toMatchObject([{ type: "delivery", status: "retry", detail: expect.stringMatching(/127\.0\.0\.1.*loopback/) as unknown }]);
  });

  test("a webhook limited to a deployment gets only that deployment's executions", async () => {
    const ws = await newWorkspace("wh-deploy");
    const [prod, staging] = await inTenant(ws.tenant, async () => [
      await deploymentModel.create({ name: "prod", promptId: ws.prompt.id, promptVersion: null, provider: "template", model: "", options: {} }),
      await deploymentModel.create({ name: "staging", promptId: ws.prompt.id, promptVersion: null, provider: "template", model: "", options: {} }),
    ]);
    if (!prod || !staging) throw new Error("no deployments");
    expect((await saveWebhook(ws, "nope", { deploymentId: "not-a-deployment" })).error).toMatch(/No deployment not-a-deployment exists/);
    await saveWebhook(ws, "only-prod", { deploymentId: prod.id });
    await saveWebhook(ws, "only-staging", { deploymentId: staging.id });
    await saveWebhook(ws, "all");
    const viaProd = await runExecution(ws, { deploymentId: prod.id });
    const direct = await runExecution(ws);
    const rows = await deliveries(ws);
    const to = (executionId: string) =>
      rows
        .filter((row) => (row.payload.data as { id: string }).id === executionId)
        .map((row) => row.webhook)
        .sort();
    expect(to(viaProd)).toEqual(["all", "only-prod"]);
    expect(to(direct)).toEqual(["all"]);
    expect(rows.find((row) => row.webhook === "only-prod")?.payload.data).toMatchObject({ deployment: { id: prod.id, name: "prod" } });
  });
});

describe("exactly once", () => {
  test("a worker that dies mid-delivery loses its claim at lease expiry; the retry delivers and the late worker cannot overwrite it", async () => {
    const ws = await newWorkspace("wh-crash");
    const { secret } = await saveWebhook(ws, "once");
    await runExecution(ws);
    const [queued] = await deliveries(ws);
    expect(queued).toMatchObject({ status: "pending" });

    // The first worker's request hangs (it "dies" with it): the receiver never answers it in time.
    let release: (() => void) | undefined;
    receiver.respond = (_request, response) => {
      release = () => response.writeHead(200).end();
    };
    const clock = { now: Date.now() };
    const dying = deliverer(clock, { timeoutMs: 1_500, leaseMs: 60_000 });
    const dyingPass = dying.runOnce();
    while (receiver.received.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
    expect((await deliveries(ws))[0]).toMatchObject({ status: "delivering", attempts: 1 });

    // Before its lease expired, nobody else takes the delivery.
    receiver.respond = (_request, response) => response.writeHead(200).end();
    const second = deliverer(clock);
    expect(await second.runOnce()).toMatchObject({ attempted: 0 });
    clock.now += 60_000;
    expect(await second.runOnce()).toMatchObject({ attempted: 1, delivered: 1 });
    expect((await deliveries(ws))[0]).toMatchObject({ status: "delivered", attempts: 2, lastStatusCode: 200 });

    // The first worker's attempt times out afterwards: its claim is gone, its outcome dropped.
    const late = await dyingPass;
    release?.();
    expect(late).toMatchObject({ attempted: 1, retried: 1 });
    const rows = await deliveries(ws);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: "delivered", attempts: 2, lastStatusCode: 200 });
    // On the wire: the same event (one id) both times, each validly signed.
    expect(receiver.received).toHaveLength(2);
    expect(new Set(receiver.received.map((request) => request.headers["sigil-event-id"]))).toEqual(new Set([queued?.eventId]));
    for (const request of receiver.received) {
      expect(verifyWebhookSignature(secret ?? "", String(request.headers["sigil-signature"]), request.body, { nowSeconds: Math.floor(clock.now / 1000) })).toBe(
        true,
      );
    }
    clock.now += 3_600_000;
    expect(await second.runOnce()).toMatchObject({ attempted: 0 });
  });

  test("a worker process killed (SIGKILL) mid-delivery: after its lease expired the delivery is retried and delivered, one row, one event id", async () => {
    const ws = await newWorkspace("wh-kill");
    const { secret } = await saveWebhook(ws, "killed");
    // The receiver holds the first request open: the worker process dies while sending it.
    receiver.respond = () => undefined;
    const child = spawn(process.execPath, ["--import", "tsx", "test/fixtures/webhook-worker.ts"], {
      cwd: join(import.meta.dirname, ".."),
      env: { ...process.env, DATA_DIR: env.dataDir, RECEIVER: receiver.host },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const exited = new Promise<NodeJS.Signals | number | null>((resolve) => child.on("exit", (code, signal) => resolve(signal ?? code)));
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error("the webhook worker did not start")), 30_000);
        child.stdout.on("data", (chunk: Buffer) => {
          if (chunk.toString().includes("ready ")) {
            clearTimeout(timer);
            resolve();
          }
        });
      });
      await runExecution(ws);
      const deadline = Date.now() + 15_000;
      while (receiver.received.length === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(receiver.received).toHaveLength(1);
      child.kill("SIGKILL");
      expect(await exited).toBe("SIGKILL");
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    }
    const [claimed] = await deliveries(ws);
    expect(claimed).toMatchObject({ status: "delivering", attempts: 1 });
    const lease = claimed?.leaseExpiresAt?.getTime() ?? 0;

    receiver.respond = (_request, response) => response.writeHead(200).end();
    const clock = { now: lease - 1_000 };
    const next = deliverer(clock);
    expect(await next.runOnce()).toMatchObject({ attempted: 0 });
    clock.now = lease;
    expect(await next.runOnce()).toMatchObject({ attempted: 1, delivered: 1 });
    const rows = await deliveries(ws);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: "delivered", attempts: 2, lastStatusCode: 200 });
    expect(receiver.received).toHaveLength(2);
    expect(new Set(receiver.received.map((request) => request.headers["sigil-event-id"]))).toEqual(new Set([rows[0]?.eventId]));
    const last = receiver.received[1];
    expect(verifyWebhookSignature(secret ?? "", String(last?.headers["sigil-signature"]), last?.body ?? "", { nowSeconds: Math.floor(clock.now / 1000) })).toBe(
      true,
    );
    clock.now += 24 * 3_600_000;
    expect(await next.runOnce()).toMatchObject({ attempted: 0 });
  }, 60_000);

  test("the event is written in the finish's transaction: a finish that does not commit writes no delivery, one that does writes exactly one", async () => {
    const ws = await newWorkspace("wh-tx");
    await saveWebhook(ws, "tx");
    const execution = await inTenant(ws.tenant, () =>
      executionModel.createWithinMonthlyLimit(
        { promptId: ws.prompt.id, promptVersion: 1, input: {}, provider: "template", model: "", fileIds: [], deploymentId: null },
        { executions: 1_000, tokens: null },
      ),
    );
    const claimed = await inTenant(ws.tenant, () => executionModel.claimNextPending({ workerId: "w1", leaseMs: 60_000 }));
    expect(claimed?.id).toBe(execution.id);
    // A finish by a worker whose claim is not this one changes nothing: no event.
    expect(await inTenant(ws.tenant, () => executionModel.finish(execution.id, { result: "x" }, { workerId: "w2", attempt: 1 }))).toMatchObject({ row: null });
    expect(await deliveries(ws)).toHaveLength(0);
    expect(await inTenant(ws.tenant, () => executionModel.finish(execution.id, { result: "x" }, { workerId: "w1", attempt: 1 }))).toMatchObject({
      row: { id: execution.id },
    });
    expect(await inTenant(ws.tenant, () => executionModel.finish(execution.id, { result: "x" }, { workerId: "w1", attempt: 1 }))).toMatchObject({ row: null });
    expect(await deliveries(ws)).toMatchObject([{ webhook: "tx", event: "execution.completed" }]);
  });
});

describe("batch.completed", () => {
  async function startRun(ws: Workspace, items: number): Promise<string> {
    const as = { tenant: ws.tenant.slug, cookie: ws.cookie };
    const dataset = await call<{ id: string }>("mutation", "datasets.create", { name: `names ${randomUUID().slice(0, 6)}` }, as);
    const datasetId = dataset.data?.id ?? "";
    const added = await call(
      "mutation",
      "datasets.addItems",
      { datasetId, items: Array.from({ length: items }, (_, i) => ({ variables: { name: `n${i}` } })) },
      as,
    );
    expect(added.error).toBeUndefined();
    const run = await call<{ id: string }>("mutation", "batchRuns.create", { promptId: ws.prompt.id, datasetId, targets: [{ version: 1 }] }, as);
    expect(run.error).toBeUndefined();
    return run.data?.id ?? "";
  }

  test("a run's last finish queues one signed batch.completed with the run's totals", async () => {
    const ws = await newWorkspace("wh-batch");
    const { secret } = await saveWebhook(ws, "runs", { events: ["batch.completed"] });
    const runId = await startRun(ws, 3);
    await new ExecutionWorker({ wakeOnSignal: false }).runOnce();

    const queued = (await deliveries(ws)).filter((delivery) => delivery.event === "batch.completed");
    expect(queued).toHaveLength(1);
    expect(queued[0]?.payload).toMatchObject({
      type: "batch.completed",
      data: { runId, status: "completed", totals: { executions: 3, completed: 3, failed: 0 } },
    });
    const clock = { now: Date.now() };
    expect(await deliverer(clock).runOnce()).toMatchObject({ delivered: 1 });
    const sent = receiver.received[0];
    expect(sent?.headers["sigil-event"]).toBe("batch.completed");
    expect(verifyWebhookSignature(secret ?? "", String(sent?.headers["sigil-signature"]), sent?.body ?? "")).toBe(true);
    // Nothing finishes the run a second time.
    await new ExecutionWorker({ wakeOnSignal: false }).runOnce();
    expect((await deliveries(ws)).filter((delivery) => delivery.event === "batch.completed")).toHaveLength(1);
  });

  test("cancelling a run's last pending execution completes the run and queues batch.completed once", async () => {
    const ws = await newWorkspace("wh-cancel");
    await saveWebhook(ws, "runs", { events: ["batch.completed"] });
    const runId = await startRun(ws, 1);
    const [cell] = await inTenant(ws.tenant, () => executionModel.findMany({ where: { batchRunId: runId } }));
    const cancelled = await call("mutation", "executions.cancel", { id: cell?.id }, { tenant: ws.tenant.slug, cookie: ws.cookie });
    expect(cancelled.error).toBeUndefined();
    const run = await call<{ status: string }>("query", "batchRuns.get", { id: runId }, { tenant: ws.tenant.slug, cookie: ws.cookie });
    expect(run.data?.status).toBe("completed");
    const queued = (await deliveries(ws)).filter((delivery) => delivery.event === "batch.completed");
    expect(queued).toHaveLength(1);
    expect(queued[0]?.payload).toMatchObject({ data: { runId, totals: { executions: 1, cancelled: 1 } } });
  });
});

describe("stale recovery", () => {
  test("an execution failed because its worker kept dying becomes one execution.failed, in recovery's transaction", async () => {
    const ws = await newWorkspace("wh-stale");
    await saveWebhook(ws, "stale", { events: ["execution.failed"] });
    const execution = await inTenant(ws.tenant, () =>
      executionModel.createWithinMonthlyLimit(
        { promptId: ws.prompt.id, promptVersion: 1, input: {}, provider: "template", model: "", fileIds: [], deploymentId: null },
        { executions: 1_000, tokens: null },
      ),
    );
    await inTenant(ws.tenant, () => executionModel.claimNextPending({ workerId: "dead", leaseMs: 1 }));
    const later = new Date(Date.now() + 1_000);
    expect(await inTenant(ws.tenant, () => executionModel.recoverExpiredLeases(1, later))).toEqual({ retried: 0, failed: 1, batchesCompleted: [] });
    expect(await inTenant(ws.tenant, () => executionModel.recoverExpiredLeases(1, later))).toEqual({ retried: 0, failed: 0, batchesCompleted: [] });
    const rows = await deliveries(ws);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.payload).toMatchObject({
      type: "execution.failed",
      data: { id: execution.id, status: "failed", error: expect.stringMatching(/worker stopped/) as unknown },
    });
  });
});

describe("webhook procedures", () => {
  test("send test event, 410 Gone disables the webhook, redeliver, rotate secret", async () => {
    const ws = await newWorkspace("wh-proc");
    const { secret } = await saveWebhook(ws, "ops", { events: ["execution.failed"] });
    const opts = { tenant: ws.tenant.slug, cookie: ws.cookie };
    const sent = await call<{ id: string; status: string; event: string }>("mutation", "webhooks.sendTest", { identifier: "ops" }, opts);
    expect(sent.data).toMatchObject({ status: "pending", event: "ping" });
    const clock = { now: Date.now() };
    await deliverer(clock).runOnce();
    const delivered = await call<{ status: string }>("query", "webhooks.delivery", { identifier: "ops", id: sent.data?.id }, opts);
    expect(delivered.data).toMatchObject({ status: "delivered" });
    expect(verifyWebhookSignature(secret ?? "", String(receiver.received[0]?.headers["sigil-signature"]), receiver.received[0]?.body ?? "")).toBe(true);

    receiver.respond = (_request, response) => response.writeHead(410).end();
    const gone = await call<{ id: string }>("mutation", "webhooks.sendTest", { identifier: "ops" }, opts);
    const events: WebhookEvent[] = [];
    clock.now = Date.now() + 1_000;
    await deliverer(clock, { events }).runOnce();
    expect(events).toMatchObject([{ type: "delivery", status: "failed", statusCode: 410, disabled: true }]);
    const listed = await call<{ webhooks: { identifier: string; enabled: boolean }[] }>("query", "settings.list", {}, opts);
    expect(listed.data?.webhooks).toMatchObject([{ identifier: "ops", enabled: false }]);

    expect((await call("mutation", "webhooks.redeliver", { identifier: "ops", id: sent.data?.id }, opts)).error?.message).toMatch(/Only a failed delivery/);
    receiver.respond = (_request, response) => response.writeHead(200).end();
    const again = await call<{ status: string }>("mutation", "webhooks.redeliver", { identifier: "ops", id: gone.data?.id }, opts);
    expect(again.data).toMatchObject({ status: "pending" });
    const rotated = await call<{ secret: string }>("mutation", "webhooks.rotateSecret", { identifier: "ops" }, opts);
    expect(rotated.data?.secret).toMatch(/^whsec_/);
    expect(rotated.data?.secret).not.toBe(secret);
    receiver.received.length = 0;
    clock.now = Date.now() + 1_000;
    await deliverer(clock).runOnce();
    const request = receiver.received[0];
    expect(verifyWebhookSignature(rotated.data?.secret ?? "", String(request?.headers["sigil-signature"]), request?.body ?? "")).toBe(true);
    expect(verifyWebhookSignature(secret ?? "", String(request?.headers["sigil-signature"]), request?.body ?? "")).toBe(false);

    const viewer = await login(ws.tenant.slug, `user@${ws.tenant.slug}.test`);
    expect((await call("query", "webhooks.deliveries", { identifier: "ops" }, { tenant: ws.tenant.slug, cookie: viewer })).error?.data.code).toBe("FORBIDDEN");
    expect((await call("query", "webhooks.deliveries", { identifier: "missing" }, opts)).error?.message).toMatch(/No webhook "missing"/);
  });

  test("a stored webhook naming the retired prompt.updated still lists and saves, without it, and never receives it", async () => {
    const ws = await newWorkspace("wh-legacy");
    await inTenant(ws.tenant, () =>
      settingsModel.upsert("webhook", "old", { url: "https://hooks.example/x", events: ["prompt.updated", "execution.failed"], enabled: true }),
    );
    const opts = { tenant: ws.tenant.slug, cookie: ws.cookie };
    const listed = await call<{ webhooks: { identifier: string; events: string[]; secretSet: boolean }[] }>("query", "settings.list", {}, opts);
    expect(listed.data?.webhooks).toMatchObject([{ identifier: "old", events: ["execution.failed"], secretSet: false }]);
    // Saved again (as the form does), it gets its signing secret.
    const saved = await call<{ secret: string | null }>(
      "mutation",
      "settings.saveWebhook",
      { identifier: "old", url: "https://hooks.example/x", events: ["execution.failed"], enabled: true },
      opts,
    );
    expect(saved.data?.secret).toMatch(/^whsec_/);
    const again = await call<{ secret: string | null }>(
      "mutation",
      "settings.saveWebhook",
      { identifier: "old", url: "https://hooks.example/y", events: ["execution.failed"], enabled: true },
      opts,
    );
    expect(again.data?.secret).toBeNull();
  });

  test("deliveries of a workspace in maintenance wait until it ends", async () => {
    const ws = await newWorkspace("wh-maint");
    await saveWebhook(ws, "wait");
    await runExecution(ws);
    await tenantModel.setMaintenance(ws.tenant.id, { since: new Date(), reason: "restore", until: null, by: "test" });
    const clock = { now: Date.now() };
    expect(await deliverer(clock).runOnce()).toMatchObject({ attempted: 0 });
    expect(receiver.received).toHaveLength(0);
    await tenantModel.setMaintenance(ws.tenant.id, null);
    expect(await deliverer(clock).runOnce()).toMatchObject({ attempted: 1, delivered: 1 });
  });
});

describe("the deliverer's loop", () => {
  test("started, it sends a new execution's event without being asked, woken by the work signal, and stops cleanly", async () => {
    const ws = await newWorkspace("wh-loop");
    const { secret } = await saveWebhook(ws, "loop");
    const loop = new WebhookDeliverer({ outbound: { allow: parseOutboundAllow(receiver.host) }, pollIntervalMs: 60_000 });
    loop.start();
    try {
      // Let the first pass find nothing and go to sleep (nothing is due anywhere: it waits for a signal).
      await new Promise((resolve) => setTimeout(resolve, 200));
      const executionId = await runExecution(ws, { name: "Loop" });
      const deadline = Date.now() + 10_000;
      while (!receiver.received.some((request) => request.body.includes(executionId)) && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const request = receiver.received.find((item) => item.body.includes(executionId));
      expect(request && verifyWebhookSignature(secret ?? "", String(request.headers["sigil-signature"]), request.body)).toBe(true);
    } finally {
      await loop.stop();
    }
    expect(loop.running).toBe(false);
  });
});

describe("an idle deliverer", () => {
  test("opens no tenant file once every delivery is done", async () => {
    const workspaces = [await newWorkspace("wh-idle"), await newWorkspace("wh-idle")];
    for (const ws of workspaces) {
      await saveWebhook(ws, "idle");
      await runExecution(ws);
    }
    const clock = { now: Date.now() };
    const worker = deliverer(clock);
    expect(await worker.runOnce()).toMatchObject({ delivered: 2 });
    for (const ws of workspaces) expect(await tenantWorkModel.webhooksDueAt(ws.tenant.id)).toBeNull();
    for (const tenant of await tenantModel.findMany()) env.manager.closeTenantDatabase(tenant.id);
    expect(env.manager.poolStats().open).toBe(0);
    for (let pass = 0; pass < 20; pass += 1) {
      clock.now += 3_600_000;
      expect(await worker.runOnce()).toMatchObject({ attempted: 0, errors: [] });
    }
    expect(env.manager.poolStats().open).toBe(0);
    expect(openTenantFileDescriptors(env.dataDir)).toEqual([]);
  });
});
