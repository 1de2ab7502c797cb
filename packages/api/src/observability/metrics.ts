import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry, type CounterConfiguration, type GaugeConfiguration } from "prom-client";

/**
 * The metrics registry of the process (README: Operating it, Metrics): everything `/api/metrics`
 * shows is registered here. Another module adds a metric with `registerGauge` (a value read when
 * scraped, e.g. the age of the last backup) or `registerCounter` (a count it increments); names
 * start with `sigil_`, and a label may only take values from a fixed, small set (never a user's
 * input): every distinct value is a series Prometheus keeps.
 *
 *     registerGauge({ name: "sigil_backup_age_seconds", help: "…", collect() { this.set(ageSeconds()); } });
 */
export const metricsRegistry = new Registry();

function assertSigilName(name: string): void {
  if (!/^sigil_[a-z0-9_]+$/.test(name)) throw new Error(`Metric names start with sigil_ and use a-z, 0-9 and _; got ${JSON.stringify(name)}.`);
}

/** A gauge in the registry; `collect` (optional) runs on every scrape and sets the value. */
export function registerGauge<L extends string>(config: Omit<GaugeConfiguration<L>, "registers">): Gauge<L> {
  assertSigilName(config.name);
  return new Gauge({ ...config, registers: [metricsRegistry] });
}

/** A counter in the registry (name ending in `_total`). */
export function registerCounter<L extends string>(config: Omit<CounterConfiguration<L>, "registers">): Counter<L> {
  assertSigilName(config.name);
  return new Counter({ ...config, registers: [metricsRegistry] });
}

/** Seconds; from a sub-millisecond cached read to a 10 s export. */
export const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export const httpRequests = registerCounter({
  name: "sigil_http_requests_total",
  help: "API requests answered, by tRPC procedure (or route) and HTTP status. A batch counts once per procedure it calls.",
  labelNames: ["procedure", "status"] as const,
});

export const httpRequestDuration = new Histogram({
  name: "sigil_http_request_duration_seconds",
  help: "Time from the request reaching the API to its answer being written, by procedure (or route) and HTTP status.",
  labelNames: ["procedure", "status"] as const,
  buckets: LATENCY_BUCKETS,
  registers: [metricsRegistry],
});

export const tenantRequests = registerCounter({
  name: "sigil_tenant_requests_total",
  help: "API requests per workspace: the first METRICS_TENANT_LABELS workspaces seen by this process under their slug, the rest as other.",
  labelNames: ["tenant"] as const,
});

let defaultMetricsOn = false;

/**
 * Node's process metrics (CPU, memory, event loop, GC), turned on by the first scrape: their event
 * loop monitor samples every 100 ms, which an installation nobody scrapes should not pay for
 * (README: Memory and CPU at rest).
 */
export function enableProcessMetrics(): void {
  if (defaultMetricsOn) return;
  defaultMetricsOn = true;
  collectDefaultMetrics({ register: metricsRegistry, eventLoopMonitoringPrecision: 100 });
}
