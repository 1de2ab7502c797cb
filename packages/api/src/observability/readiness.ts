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
  /** What was checked (the sampled workspace, the worker's state). */
  detail?: Record<string, unknown>;
  /** Why it failed, as a sentence. */
  error?: string;
}

export interface Readiness {
  ready: boolean;
  checks: Record<CheckName, CheckResult>;
}

let lastSampledRowid = 0;

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
    return { ok: false, ms: Math.round(performance.now() - started), error: errorText(error) };
  }
}

function checkTenant(): Record<string, unknown> {
  const tenant = nextActiveTenant(lastSampledRowid);
  if (tenant === null) return { tenant: null, note: "no active workspace to sample" };
  lastSampledRowid = tenant.rowid;
  try {
    probeTenantFile(tenant.tenantId);
  } catch (error) {
    throw new Error(`workspace ${tenant.slug}: ${errorText(error)}`);
  }
  return { tenant: tenant.slug };
}

async function checkWorker(socketPath: string, timeoutMs: number): Promise<Record<string, unknown>> {
  const answer = await askWorker(socketPath, "status", timeoutMs);
  try {
    return JSON.parse(answer) as Record<string, unknown>;
  } catch {
    throw new Error(`the worker answered something unexpected: ${JSON.stringify(answer.slice(0, 80))}`);
  }
}

export async function checkReadiness(options: { workerSocket: string; timeoutMs: number }): Promise<Readiness> {
  const [shared, tenant, worker] = await Promise.all([
    timed(() => {
      probeSharedWrite(options.timeoutMs);
      return Promise.resolve(undefined);
    }),
    timed(() => Promise.resolve(checkTenant())),
    timed(() => checkWorker(options.workerSocket, options.timeoutMs)),
  ]);
  return { ready: shared.ok && tenant.ok && worker.ok, checks: { shared, tenant, worker } };
}
