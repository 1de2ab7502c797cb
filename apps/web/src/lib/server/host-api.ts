import type { apiConfig, appRouter, createInnerContext, hostName, identifyTenant, openApiDocument, parseCookies, REST_PREFIX, resolveTenant } from "@sigil/api";
import type { handleTrpcRequest } from "@sigil/api/http";

/**
 * What the pages use of the API, provided by the process that serves them (server.ts) instead of
 * being bundled into the app. Bundled, the API would be a second copy in the same process, with
 * its own database handles and caches; provided, the pages' server-side calls and the API path
 * share one instance. Values only: types are imported from `@sigil/api` as usual.
 */
export interface HostApi {
  appRouter: typeof appRouter;
  apiConfig: typeof apiConfig;
  createInnerContext: typeof createInnerContext;
  hostName: typeof hostName;
  identifyTenant: typeof identifyTenant;
  parseCookies: typeof parseCookies;
  resolveTenant: typeof resolveTenant;
  handleTrpcRequest: typeof handleTrpcRequest;
  /** The REST API's OpenAPI document, for the API reference page. */
  openApiDocument: typeof openApiDocument;
  /** `/api/v1`: where the REST API lives on a workspace's host or under its path prefix. */
  REST_PREFIX: typeof REST_PREFIX;
  /** SIGIL_BENCH_BASELINE=1, read once by the API's settings: the HTTP benchmark's baseline routes answer. */
  benchBaseline: boolean;
}

const HOST_API = Symbol.for("sigil.host-api");
type WithHostApi = typeof globalThis & { [HOST_API]?: HostApi };

/** server.ts: makes the API available to the app, before Next loads any of it. */
export function provideHostApi(api: HostApi): void {
  (globalThis as WithHostApi)[HOST_API] = api;
}

/** The API this process serves; only callable while a request is served (not at module load: `next build` loads modules too). */
export function hostApi(): HostApi {
  const api = (globalThis as WithHostApi)[HOST_API];
  if (!api) throw new Error("The API is not provided: serve the web app with server.ts (`pnpm start`, `pnpm dev`), not `next start` / `next dev`.");
  return api;
}
