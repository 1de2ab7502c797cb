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

/**
 * The request series are counted in plain maps on the request path and handed to prom-client only
 * when scraped: prom-client's own `inc` and `observe` hash the label set on every call, which cost
 * ~10 µs per request here (on a ~700 µs request: `pnpm bench http`); a map lookup and a bucket
 * search cost well under one.
 */
interface RequestSeries {
  procedure: string;
  status: string;
  count: number;
  sum: number;
  /** Observations per bucket of LATENCY_BUCKETS (not cumulative), the last one for +Inf. */
  buckets: number[];
}

const requestSeries = new Map<string, RequestSeries>();
const tenantCounts = new Map<string, number>();

/** Counts one answered request of `procedure` (a fixed set of names) with its HTTP status and duration. */
export function observeRequest(procedure: string, status: string, seconds: number): void {
  const key = `${procedure} ${status}`;
  let series = requestSeries.get(key);
  if (series === undefined) {
    series = { procedure, status, count: 0, sum: 0, buckets: new Array<number>(LATENCY_BUCKETS.length + 1).fill(0) };
    requestSeries.set(key, series);
  }
  series.count += 1;
  series.sum += seconds;
  let bucket = 0;
  while (bucket < LATENCY_BUCKETS.length && seconds > (LATENCY_BUCKETS[bucket] ?? Infinity)) bucket += 1;
  series.buckets[bucket] = (series.buckets[bucket] ?? 0) + 1;
}

/** Counts one request of a workspace (its label already capped: request-metrics.ts). */
export function observeTenantRequest(label: string): void {
  tenantCounts.set(label, (tenantCounts.get(label) ?? 0) + 1);
}

registerCounter({
  name: "sigil_http_requests_total",
  help: "API requests answered, by tRPC procedure (or route) and HTTP status. A batch counts once per procedure it calls.",
  labelNames: ["procedure", "status"] as const,
  collect() {
    this.reset();
    for (const { procedure, status, count } of requestSeries.values()) this.inc({ procedure, status }, count);
  },
});

registerCounter({
  name: "sigil_tenant_requests_total",
  help: "API requests per workspace: the first METRICS_TENANT_LABELS workspaces seen by this process under their slug, the rest as other.",
  labelNames: ["tenant"] as const,
  collect() {
    this.reset();
    for (const [tenant, count] of tenantCounts) this.inc({ tenant }, count);
  },
});

type HistogramObject = Awaited<ReturnType<Histogram["get"]>>;

const durationConfiguration = {
  name: "sigil_http_request_duration_seconds",
  help: "Time from the request reaching the API to its answer being written, by procedure (or route) and HTTP status.",
  labelNames: ["procedure", "status"] as const,
  buckets: LATENCY_BUCKETS,
};
/** Never observed, in no registry: its answer is the name, help and type the histogram below reports. */
const durationTemplate = new Histogram({ ...durationConfiguration, registers: [] });

function durationValues(): HistogramObject["values"] {
  const values: HistogramObject["values"] = [];
  const name = durationConfiguration.name;
  for (const { procedure, status, count, sum, buckets } of requestSeries.values()) {
    let cumulative = 0;
    for (const [index, bound] of [...LATENCY_BUCKETS, "+Inf" as const].entries()) {
      cumulative += buckets[index] ?? 0;
      const labels: Record<string, string | number> = { le: bound, procedure, status };
      values.push({ metricName: `${name}_bucket`, labels, value: cumulative });
    }
    values.push({ metricName: `${name}_sum`, labels: { procedure, status }, value: sum });
    values.push({ metricName: `${name}_count`, labels: { procedure, status }, value: count });
  }
  return values;
}

/** The duration histogram, read from `requestSeries` in prom-client's shape when scraped. */
class RequestDurationHistogram extends Histogram<"procedure" | "status"> {
  override async get(): Promise<HistogramObject> {
    return { ...(await durationTemplate.get()), values: durationValues() };
  }

  /** What the registry reads for the text format (prom-client's lib/registry.js); absent from its typings. */
  getForPromString(): Promise<HistogramObject> {
    return this.get();
  }
}

new RequestDurationHistogram({ ...durationConfiguration, registers: [metricsRegistry] });

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
