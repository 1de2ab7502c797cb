import { nextActiveTenant, probeSharedWrite, probeTenantFile } from "@sigil/db";
import { askWorker } from "../worker/status-socket.ts";

/**
 * `/api/ready` (README: Operating it, Health and readiness): this process can serve. Three checks,
 * run together, each bounded by `timeoutMs`:
 * - `shared`: shared.sqlite takes a write (lock + row change, rolled back);
 * - `tenant`: an active workspace's file opens through the pool and answers a read — a different
 *   workspace each time (registration order, wrapping), so a bad file is found within N probes;
 * - `worker`: the execution worker answers `status` on its socket (status-socket.ts).
 */
export type CheckName = "shared" | "tenant" | "worker";

export interface CheckResult {
  ok: boolean;
  ms: number;
  /** What was checked (the sampled workspace, the worker's state): for the log, never for the public answer. */
  detail?: Record<string, unknown>;
  /** Why it failed, as a sentence that names no workspace and no file. */
  error?: string;
}

export interface Readiness {
  ready: boolean;
  checks: Record<CheckName, CheckResult>;
}

let lastSampledTenantId = "";

/** A failed check whose details are for the log only. */
class ReadinessError extends Error {
  constructor(
    message: string,
    readonly detail: Record<string, unknown>,
  ) {
    super(message);
  }
}

/** SQLite's and the socket's own sentences ("database is locked"); none of them names a file. */
function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function timed(run: () => Promise<Record<string, unknown> | undefined>): Promise<CheckResult> {
  const started = performance.now();
  try {
    const detail = await run();
    return { ok: true, ms: Math.round(performance.now() - started), ...(detail ? { detail } : {}) };
  } catch (error) {
    const detail = error instanceof ReadinessError ? { detail: error.detail } : {};
    return { ok: false, ms: Math.round(performance.now() - started), error: errorText(error), ...detail };
  }
}

async function checkTenant(): Promise<Record<string, unknown>> {
  const tenant = await nextActiveTenant(lastSampledTenantId);
  if (tenant === null) return { tenant: null, note: "no active workspace to sample" };
  lastSampledTenantId = tenant.tenantId;
  try {
    await probeTenantFile(tenant.tenantId);
  } catch (error) {
    // The slug goes to the log (serveReady), not into the answer: anyone may ask /api/ready.
    throw new ReadinessError(`a workspace's file did not open: ${errorText(error)}`, { tenant: tenant.slug });
  }
  return { tenant: tenant.slug };
}

async function checkWorker(socketPath: string, timeoutMs: number): Promise<Record<string, unknown>> {
  const answer = await askWorker(socketPath, "status", timeoutMs);
  let status: Record<string, unknown>;
  try {
    status = JSON.parse(answer) as Record<string, unknown>;
  } catch {
    throw new ReadinessError("the worker answered something unexpected", { answer: answer.slice(0, 200) });
  }
  // It answers while stopping (SIGTERM: it finishes what it runs, claims nothing new).
  if (status.running !== true) throw new ReadinessError("the worker is stopping: it takes no new executions", status);
  return status;
}

export async function checkReadiness(options: { workerSocket: string; timeoutMs: number }): Promise<Readiness> {
  // The shared probe first: SQLite waits for a lock held by another process synchronously, and a
  // worker check already started would see its own timeout expire during that wait.
  const shared = await timed(async () => {
    await probeSharedWrite(options.timeoutMs);
    return undefined;
  });
  const [tenant, worker] = await Promise.all([timed(checkTenant), timed(() => checkWorker(options.workerSocket, options.timeoutMs))]);
  return { ready: shared.ok && tenant.ok && worker.ok, checks: { shared, tenant, worker } };
}
