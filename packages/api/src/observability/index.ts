import { observabilitySettings, type ObservabilitySettings } from "../server-settings.ts";
import { installLogger, type Logger } from "./logger.ts";
import { installSlowQueryLog } from "./slow-query-log.ts";

export { logger, installLogger, createLogger, currentRequestLog, runWithRequestLog, requestIdFrom, type Logger } from "./logger.ts";
export { metricsRegistry, registerCounter, registerGauge, LATENCY_BUCKETS } from "./metrics.ts";
export { installSlowQueryLog } from "./slow-query-log.ts";

/** What a server or worker process sets up first: its logger (LOG_LEVEL, LOG_FORMAT) and the slow-statement log (SLOW_QUERY_MS). */
export async function startObservability(settings: ObservabilitySettings = observabilitySettings()): Promise<Logger> {
  const log = await installLogger(settings);
  installSlowQueryLog(settings.slowQueryMs);
  return log;
}
