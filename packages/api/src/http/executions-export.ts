import type { IncomingMessage, ServerResponse } from "node:http";
import { executionFilters } from "@sigil/validators";
import { TRPCError } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import { z, ZodError } from "zod";
import type { ApiConfig } from "../config.ts";
import { createInnerContext } from "../context.ts";
import { publicMessage } from "../errors.ts";
import { logger } from "../observability/logger.ts";
import { requestInfoFromNode } from "../request-info.ts";
import { appRouter } from "../root.ts";
import { executionsCsv } from "../services/executions-csv.ts";
import { createCallerFactory, describeZodError } from "../trpc.ts";

/**
 * `GET /api/v1/executions/export.csv` (also under `/tenant/<slug>`): the executions the list's
 * filters select (query parameters status, promptId, deploymentId, starred, reviewStatus, from,
 * to), as a CSV download. It is written page by page (`executions.exportPage`, 1,000 rows each,
 * keyset-paged), waiting for the socket to drain between pages, so 100,000 rows never sit in
 * memory. Every page goes through the procedure chain (workspace, credential, scope
 * `executions:read`, rate limits, maintenance), as any API call does. Errors before the first row
 * answer JSON `{ code, message }` with the procedure's HTTP status.
 */
const EXPORT_PATH = /^(\/tenant\/[^/]+)?\/api\/v1\/executions\/export\.csv$/;

export function isExecutionsExport(pathname: string): boolean {
  return EXPORT_PATH.test(pathname);
}

const createCaller = createCallerFactory(appRouter);

type Filters = z.infer<typeof executionFilters>;

function readFilters(url: URL): Filters {
  const raw: Record<string, string> = {};
  for (const [name, value] of url.searchParams) if (value !== "") raw[name] = value;
  return executionFilters.strict().parse(raw);
}

function sendError(res: ServerResponse, error: unknown): void {
  let status = 500;
  let code = "INTERNAL_SERVER_ERROR";
  let message: string;
  if (error instanceof ZodError) {
    status = 400;
    code = "BAD_REQUEST";
    message = describeZodError(z.flattenError(error));
  } else if (error instanceof TRPCError) {
    status = getHTTPStatusCodeFromError(error);
    code = error.code;
    message = error.cause instanceof ZodError ? describeZodError(z.flattenError(error.cause)) : publicMessage(error);
    if (code === "INTERNAL_SERVER_ERROR") logger().error({ err: error.cause ?? error }, "executions export failed");
  } else {
    logger().error({ err: error }, "executions export failed");
    message = "Something went wrong on our side. The error has been logged.";
  }
  const body = JSON.stringify({ code, message });
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(body) }).end(body);
}

/** Waits until the socket took what was written (backpressure), or the client went away. */
function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      res.off("drain", done);
      res.off("close", done);
      resolve();
    };
    res.once("drain", done);
    res.once("close", done);
  });
}

export async function serveExecutionsExport(req: IncomingMessage, res: ServerResponse, config: ApiConfig): Promise<void> {
  const method = (req.method ?? "GET").toUpperCase();
  if (method !== "GET") {
    res.setHeader("allow", "GET");
    return sendError(res, new TRPCError({ code: "METHOD_NOT_SUPPORTED", message: "The executions export is read with GET." }));
  }
  const url = new URL(req.url ?? "/", "http://export.invalid");
  const caller = createCaller(createInnerContext({ request: requestInfoFromNode(req), config }));
  let page;
  let filters: Filters;
  try {
    filters = readFilters(url);
    page = await caller.executions.exportPage(filters);
  } catch (error) {
    return sendError(res, error);
  }
  const day = new Date().toISOString().slice(0, 10);
  res.writeHead(200, {
    "content-type": "text/csv; charset=utf-8",
    "content-disposition": `attachment; filename="executions-${day}.csv"`,
  });
  let first = true;
  try {
    for (;;) {
      if (res.destroyed) return;
      if (!res.write(executionsCsv(page.rows, first))) await drained(res);
      first = false;
      if (page.next === null) break;
      page = await caller.executions.exportPage({ ...filters, after: page.next });
    }
    res.end();
  } catch (error) {
    // The header is out: a truncated download must not look complete, so the connection is cut.
    logger().error({ err: error }, "executions export failed after the first page");
    res.destroy(error instanceof Error ? error : new Error(String(error)));
  }
}
