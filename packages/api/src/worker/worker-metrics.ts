import { Counter, Gauge, Histogram, Registry } from "prom-client";
import type { WorkerEvent } from "./execution-worker.ts";

/**
 * The execution worker's own series, kept in its process and read by the web server's
 * `/api/metrics` over the status socket (status-socket.ts). A registry of its own: the web
 * server's names (HTTP, process) must not appear twice in one scrape. No process metrics here:
 * their event-loop sampler would wake the idle worker every few milliseconds.
 */
export interface WorkerMetrics {
  readonly registry: Registry;
  record(event: WorkerEvent): void;
}

export function createWorkerMetrics(startedAt = Date.now()): WorkerMetrics {
  const registry = new Registry();
  const executions = new Counter({
    name: "sigil_worker_executions_total",
    help: "Executions this worker process finished, by outcome (completed, failed).",
    labelNames: ["status"] as const,
    registers: [registry],
  });
  const durations = new Histogram({
    name: "sigil_worker_execution_duration_seconds",
    help: "How long an execution ran in this worker (provider call included), by outcome.",
    labelNames: ["status"] as const,
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
    registers: [registry],
  });
  const recovered = new Counter({
    name: "sigil_worker_recovered_executions_total",
    help: "Executions whose lease expired, found by this worker: retried or failed (attempts used up).",
    labelNames: ["outcome"] as const,
    registers: [registry],
  });
  new Gauge({
    name: "sigil_worker_uptime_seconds",
    help: "Seconds since the worker process started.",
    registers: [registry],
    collect() {
      this.set((Date.now() - startedAt) / 1000);
    },
  });
  return {
    registry,
    record(event) {
      if (event.type === "execution") {
        executions.labels(event.status).inc();
        durations.labels(event.status).observe(event.durationMs / 1000);
      } else if (event.type === "recovered") {
        recovered.labels("retried").inc(event.retried);
        recovered.labels("failed").inc(event.failed);
      }
    },
  };
}
