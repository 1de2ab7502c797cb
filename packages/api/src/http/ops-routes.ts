import type { IncomingMessage, ServerResponse } from "node:http";
import { HybridDatabaseManager } from "@sigil/db";
import type { ApiConfig } from "../config.ts";
import { logger } from "../observability/logger.ts";
import { checkReadiness, type CheckResult, type Readiness } from "../observability/readiness.ts";
import { METRICS_CONTENT_TYPE, renderMetrics } from "../observability/scrape.ts";
import { requestInfoFromNode } from "../request-info.ts";
import type { ObservabilitySettings } from "../server-settings.ts";
import { workerSocketPath } from "../worker/status-socket.ts";
import { metricsAccess } from "./metrics-access.ts";

/**
 * The operations endpoints (README: Operating it, Health, readiness and metrics), served on every
 * host, IP literals included (load balancers probe by address), and never under a tenant prefix:
 * - `/api/health`: the process serves (no database touched);
 * - `/api/ready`: it can serve a workspace (observability/readiness.ts), else 503 naming the checks that failed;
 * - `/api/metrics`: Prometheus' text format, for the metrics token or a system administrator (metrics-access.ts).
 */
export const OPS_ROUTES = { "/api/health": "health", "/api/ready": "ready", "/api/metrics": "metrics" } as const;
export type OpsRoute = (typeof OPS_ROUTES)[keyof typeof OPS_ROUTES];

/** How long a readiness check or the worker's metrics may take before it counts as failed. */
const PROBE_TIMEOUT_MS = 1_000;

export function opsRoute(pathname: string): OpsRoute | null {
  return Object.hasOwn(OPS_ROUTES, pathname) ? OPS_ROUTES[pathname as keyof typeof OPS_ROUTES] : null;
}

export interface OpsOptions {
  config: ApiConfig;
  observability: ObservabilitySettings;
}

function json(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
}

/** The public answer: each check's outcome and reason; what it looked at (a workspace's slug, the worker's id) only in the log. */
function publicChecks(checks: Readiness["checks"]): Record<string, Omit<CheckResult, "detail">> {
  return Object.fromEntries(Object.entries(checks).map(([name, { detail: _forTheLog, ...check }]) => [name, check]));
}

async function serveReady(res: ServerResponse, socket: string): Promise<void> {
  const readiness = await checkReadiness({ workerSocket: socket, timeoutMs: PROBE_TIMEOUT_MS });
  if (readiness.ready) {
    logger().debug({ checks: readiness.checks }, "ready");
    json(res, 200, { status: "ready", checks: publicChecks(readiness.checks) });
    return;
  }
  const failing = Object.entries(readiness.checks)
    .filter(([, check]) => !check.ok)
    .map(([name]) => name);
  logger().warn({ failing, checks: readiness.checks }, "not ready");
  json(res, 503, { status: "unavailable", failing, checks: publicChecks(readiness.checks) });
}

async function serveMetrics(req: IncomingMessage, res: ServerResponse, options: OpsOptions, socket: string): Promise<void> {
  const access = await metricsAccess(requestInfoFromNode(req), options.observability.metricsToken, options.config);
  if (!access.allowed) {
    if (access.status === 401) res.setHeader("www-authenticate", 'Bearer realm="sigil-metrics"');
    json(res, access.status, { error: { message: access.message } });
    return;
  }
  const body = await renderMetrics({ workerSocket: socket, timeoutMs: PROBE_TIMEOUT_MS });
  res.writeHead(200, { "content-type": METRICS_CONTENT_TYPE }).end(body);
}

export function serveOpsRoute(route: OpsRoute, req: IncomingMessage, res: ServerResponse, options: OpsOptions): void {
  if (req.method !== "GET" && req.method !== "HEAD") {
    res.setHeader("allow", "GET, HEAD");
    json(res, 405, { error: { message: `${req.url ?? "This endpoint"} answers GET only.` } });
    return;
  }
  if (route === "health") {
    json(res, 200, { status: "ok" });
    return;
  }
  const socket = workerSocketPath(options.observability.workerSocket, HybridDatabaseManager.getInstance().options.dataDir);
  const served = route === "ready" ? serveReady(res, socket) : serveMetrics(req, res, options, socket);
  served.catch((error: unknown) => {
    logger().error({ err: error, route }, "operations endpoint failed");
    if (!res.headersSent) json(res, 500, { error: { message: "The server could not answer; its log says why." } });
    else res.end();
  });
}
