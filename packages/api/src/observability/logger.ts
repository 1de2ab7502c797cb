import { AsyncLocalStorage } from "node:async_hooks";
import { randomUUID } from "node:crypto";
import { pino, stdTimeFunctions, type DestinationStream, type Logger } from "pino";
import { observabilitySettings, type ObservabilitySettings } from "../server-settings.ts";

/**
 * The logger of the process (README: Operating it, Logs): pino, one JSON object per line in
 * production, coloured lines for a person with `pnpm dev` (LOG_FORMAT), at LOG_LEVEL. Every line
 * written while a request is served carries its `reqId` and, once the tenant is resolved, the
 * workspace's `slug`: the request's fields live in an AsyncLocalStorage that pino's mixin reads,
 * so no code has to pass a child logger around.
 */
export type { Logger } from "pino";

export interface RequestLogFields {
  reqId: string;
  slug?: string;
}

const requestFields = new AsyncLocalStorage<RequestLogFields>();

type LogSettings = Pick<ObservabilitySettings, "logLevel" | "logFormat">;

export function createLogger(settings: LogSettings, destination?: DestinationStream): Logger {
  return pino(
    {
      level: settings.logLevel,
      base: { pid: process.pid },
      timestamp: stdTimeFunctions.isoTime,
      mixin: () => requestFields.getStore() ?? {},
    },
    destination ?? pino.destination({ dest: 1, sync: true }),
  );
}

let processLogger: Logger | undefined;

/** This process's logger: the one `installLogger` set up, else JSON at LOG_LEVEL on stdout. */
export function logger(): Logger {
  processLogger ??= createLogger({ ...observabilitySettings(), logFormat: "json" });
  return processLogger;
}

/**
 * Sets up the process's logger from its settings (the web server and the worker call this first).
 * pino-pretty is loaded only for LOG_FORMAT=pretty, so production processes never load it.
 * Tests pass a destination to read what was logged.
 */
export async function installLogger(settings: LogSettings = observabilitySettings(), destination?: DestinationStream): Promise<Logger> {
  if (destination === undefined && settings.logFormat === "pretty") {
    const { default: pretty } = await import("pino-pretty");
    destination = pretty({ sync: true, translateTime: "SYS:HH:MM:ss.l", ignore: "pid,hostname" });
  }
  processLogger = createLogger(settings, destination);
  return processLogger;
}

const WELL_FORMED_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The caller's `x-request-id` when it is a plain token (no spaces, quotes or newlines to forge log lines), else a new one. */
export function requestIdFrom(header: string | string[] | undefined): string {
  return typeof header === "string" && WELL_FORMED_REQUEST_ID.test(header) ? header : randomUUID();
}

/** Runs `fn` (and everything it starts) with the request's fields on every log line. */
export function runWithRequestLog<T>(fields: RequestLogFields, fn: () => T): T {
  return requestFields.run(fields, fn);
}

/** The fields of the request being served, or undefined outside a request. */
export function currentRequestLog(): RequestLogFields | undefined {
  return requestFields.getStore();
}

/** Names the request's workspace on its remaining log lines (and in its metrics) once it is resolved. */
export function recordRequestTenant(slug: string): void {
  const fields = requestFields.getStore();
  if (fields) fields.slug = slug;
}
