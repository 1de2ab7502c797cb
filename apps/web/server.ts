/**
 * The web server (`pnpm start`, `pnpm dev`; see scripts/start.mjs): one port for pages and API.
 * Every request first passes Sigil's HTTP edge (packages/api/src/http/edge.ts), where the socket
 * and the raw headers are still visible and the body is not read yet: duplicate Host headers,
 * internal and forwarded headers a client may not set, the client address (TRUST_PROXY), the
 * per-route body limit, and the headers every answer carries. Then:
 *
 * - API calls (`/api/trpc/…`, `/tenant/<slug>/api/trpc/…`) go to the API's Node handler
 *   (packages/api/src/http/node-handler.ts): tRPC on Node's HTTP server, no framework between;
 * - everything else goes to Next's request handler (pages get their Content-Security-Policy, with
 *   a nonce, from src/proxy.ts).
 *
 * The pages' own server-side API calls use the same API instance, provided to the app here
 * (src/lib/server/host-api.ts) rather than bundled into it a second time.
 *
 * Usage: production, `node --conditions=sigil-dist dist/server.mjs` (the build's output, run on
 * the API's compiled bundle, packages/api/dist); development, `node --import tsx server.ts --dev`.
 * PORT and HOST as for `pnpm start`.
 */
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import * as api from "@sigil/api";
import { acceptUpgrade, createEdgeServer, readEdgeConfig, readListenSettings, securityHeaders, type EdgeConfig, type ListenSettings } from "@sigil/api/edge";
import { benchBaselineEnabled, createNodeApiHandler, handleTrpcRequest, type NodeApiHandler } from "@sigil/api/http";
import { provideHostApi } from "./src/lib/server/host-api";

const dev = process.argv.includes("--dev");
// Next wants NODE_ENV to match the mode (it warns about, and misbehaves with, anything else);
// set before Next is loaded.
Object.assign(process.env, { NODE_ENV: dev ? "development" : "production" });
const { default: next } = await import("next");
const { edgeConfig, listen, apiHandler } = readSettings();
const log = await api.startObservability();
const { port } = listen;
// Next told its hostname is 127.0.0.1 treats the proxy's host rewrites as external (its own URL
// then says 127.0.0.1 while the rewrite says localhost): every tenant page would be a 404.
// `localhost` binds the same loopback address without that problem.
const hostname = listen.host === "127.0.0.1" ? "localhost" : listen.host;

/** Read once, validated; an invalid setting stops the server with its name (README: Settings). */
function readSettings(): { edgeConfig: EdgeConfig; listen: ListenSettings; apiHandler: NodeApiHandler } {
  try {
    return { edgeConfig: readEdgeConfig(process.env), listen: readListenSettings(process.env), apiHandler: createNodeApiHandler() };
  } catch (error) {
    console.error(`Sigil web server: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}

provideHostApi({
  appRouter: api.appRouter,
  apiConfig: api.apiConfig,
  createInnerContext: api.createInnerContext,
  hostName: api.hostName,
  identifyTenant: api.identifyTenant,
  parseCookies: api.parseCookies,
  resolveTenant: api.resolveTenant,
  handleTrpcRequest,
  openApiDocument: api.openApiDocument,
  REST_PREFIX: api.REST_PREFIX,
  benchBaseline: benchBaselineEnabled(),
});

const server = createEdgeServer(edgeConfig, (req, res) => {
  for (const [name, value] of Object.entries(securityHeaders(req))) res.setHeader(name, value);
  if (apiHandler(req, res)) return;
  handle(req, res).catch((error: unknown) => {
    log.error({ err: error, url: req.url }, "request failed");
    if (!res.headersSent) res.statusCode = 500;
    res.end();
  });
});
// Registered before Next's own upgrade listener, so it runs first: a refused upgrade's socket is
// closed before Next sees it. Only development upgrades (hot reload) are served at all.
server.prependListener("upgrade", (req: IncomingMessage, socket: Duplex) => {
  if (!dev || !acceptUpgrade(edgeConfig, req)) socket.destroy();
});
// With httpServer, Next attaches its WebSocket upgrade handler (hot reload in development) at once.
const app = next({ dev, dir: import.meta.dirname, hostname, port, httpServer: server, ...(dev ? { turbopack: true } : {}) });
await app.prepare();
const handle = app.getRequestHandler();
server.listen(port, hostname, () => {
  const { rootDomain } = api.apiConfig();
  log.info(
    `▲ Sigil on http://${hostname}:${port}${dev ? " (development)" : ""}` +
      `  (workspaces: http://<slug>.${rootDomain}:${port}, admin: http://admin.${rootDomain}:${port}, health: /api/health, /api/ready, /api/metrics)`,
  );
});

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    server.close();
    void app.close().finally(() => process.exit(0));
    // Keep-alive connections would hold `close` open: do not wait for them for long.
    setTimeout(() => process.exit(0), 2_000).unref();
  });
}
