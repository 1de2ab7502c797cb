import { RequestPathLookups, type TenantRow } from "@sigil/db";
import { apiConfig, type ApiConfig } from "./config.ts";
import { requestInfoFrom, type RequestInfo } from "./request-info.ts";

/**
 * The inner context: everything a procedure needs, with no HTTP objects, so tests and the
 * in-process bench can build it directly (trpc.io: inner/outer context).
 */
export interface InnerContext {
  request: RequestInfo;
  config: ApiConfig;
  /** Response headers procedures may add to (Set-Cookie). */
  resHeaders: Headers;
  /** Set by the tenant procedure once the tenant is resolved. */
  tenant?: TenantRow;
  /** The registry and API-key reads of this request, as of its first one (@sigil/db: request-path-cache.ts). */
  lookups: RequestPathLookups;
}
export type Context = InnerContext;

export function createInnerContext(options: { request: RequestInfo; resHeaders?: Headers; config?: ApiConfig }): InnerContext {
  return {
    request: options.request,
    config: options.config ?? apiConfig(),
    resHeaders: options.resHeaders ?? new Headers(),
    lookups: new RequestPathLookups(),
  };
}

/** The outer context of the fetch adapter: reads the request once. */
export function createContext({ req, resHeaders }: { req: Request; resHeaders: Headers }, config?: ApiConfig): InnerContext {
  return createInnerContext({ request: requestInfoFrom(req), resHeaders, config });
}
