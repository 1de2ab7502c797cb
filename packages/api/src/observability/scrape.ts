import { askWorker } from "../worker/status-socket.ts";
import { enableProcessMetrics, metricsRegistry, registerGauge } from "./metrics.ts";
import "./backup-metrics.ts";
import "./storage-metrics.ts";

/**
 * The answer of `/api/metrics`: this process's registry, then the execution worker's own series,
 * asked over its status socket (worker/status-socket.ts). `sigil_worker_up` says whether the
 * worker answered; without it, its series are simply absent from this scrape.
 */
const workerUp = registerGauge({ name: "sigil_worker_up", help: "1 when the execution worker answered this scrape over its status socket, else 0." });

export const METRICS_CONTENT_TYPE = metricsRegistry.contentType;

export async function renderMetrics(options: { workerSocket: string; timeoutMs: number }): Promise<string> {
  enableProcessMetrics();
  let workerSeries = "";
  try {
    workerSeries = await askWorker(options.workerSocket, "metrics", options.timeoutMs);
    workerUp.set(workerSeries.startsWith("error ") ? 0 : 1);
    if (workerSeries.startsWith("error ")) workerSeries = "";
  } catch {
    workerUp.set(0);
  }
  const own = await metricsRegistry.metrics();
  return workerSeries === "" ? own : `${own.trimEnd()}\n${workerSeries}`;
}
