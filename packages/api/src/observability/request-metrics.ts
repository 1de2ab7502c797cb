import { MAX_BATCH_SIZE } from "@sigil/validators";
import { trpcProcedures } from "../http/trpc-error-body.ts";
import { appRouter } from "../root.ts";
import { observeRequest, observeTenantRequest } from "./metrics.ts";

/**
 * What one API request adds to the metrics (metrics.ts). Label values come only from fixed sets
 * (the router's procedure names, the REST routes, HTTP statuses, the first N workspaces), never
 * from the URL as typed: a client inventing paths or slugs cannot grow the series without bound.
 */
export const UNKNOWN_PROCEDURE = "unknown";
export const OTHER_TENANT = "other";

const KNOWN_PROCEDURES = new Set(Object.keys(appRouter._def.procedures));

/** Paths already turned into labels; capped, so invented paths cannot grow it without bound. */
const labelsOfPath = new Map<string, readonly string[]>();
const MAX_CACHED_PATHS = 4_096;

/** The procedure labels of a tRPC URL: one per call of a batch, unknown names (and an oversized batch) as "unknown". */
export function procedureLabels(pathname: string): readonly string[] {
  const cached = labelsOfPath.get(pathname);
  if (cached !== undefined) return cached;
  const names = trpcProcedures(pathname);
  const labels =
    names.length === 0 || names.length > MAX_BATCH_SIZE ? [UNKNOWN_PROCEDURE] : names.map((name) => (KNOWN_PROCEDURES.has(name) ? name : UNKNOWN_PROCEDURE));
  if (labelsOfPath.size < MAX_CACHED_PATHS) labelsOfPath.set(pathname, labels);
  return labels;
}

/**
 * Workspace labels with a cap: the first `cap` slugs seen keep their own label for the life of the
 * process, every later one is "other". (A counter's series cannot move to another label without
 * breaking rate(), so "the busiest N" is decided by arrival, and restarts reset it.)
 */
export class TenantLabels {
  private readonly labelled = new Set<string>();

  constructor(private readonly cap: number) {}

  label(slug: string): string {
    if (this.labelled.has(slug)) return slug;
    if (this.labelled.size >= this.cap) return OTHER_TENANT;
    this.labelled.add(slug);
    return slug;
  }
}

export interface AnsweredRequest {
  procedures: readonly string[];
  status: number;
  seconds: number;
  /** The workspace the request resolved to, if any. */
  slug: string | undefined;
}

export function recordAnsweredRequest(request: AnsweredRequest, tenantLabels: TenantLabels): void {
  const status = String(request.status);
  for (const procedure of request.procedures) observeRequest(procedure, status, request.seconds);
  if (request.slug !== undefined) observeTenantRequest(tenantLabels.label(request.slug));
}
