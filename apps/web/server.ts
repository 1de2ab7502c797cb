/**
 * The web app's HTTP server (`pnpm start`, `pnpm dev`; see scripts/start.ts): Next's request
 * handler behind Sigil's HTTP edge (packages/api/src/http/edge.ts), instead of `next start` /
 * `next dev`. The edge is where the socket and the raw headers are still visible and the body
 * is not read yet: duplicate Host headers, internal and forwarded headers a client may not set,
 * the client address (TRUST_PROXY), the per-route body limit, and the headers every answer
 * carries. Pages get their Content-Security-Policy (with a nonce) from src/proxy.ts.
 *
 * Usage: node --import tsx server.ts [--dev] (PORT, HOST as for `pnpm start`).
 */
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { acceptUpgrade, createEdgeServer, readEdgeConfig, readListenSettings, securityHeaders, type EdgeConfig, type ListenSettings } from "@sigil/api/edge";

const dev = process.argv.includes("--dev");
// Next wants NODE_ENV to match the mode (it warns about, and misbehaves with, anything else);
// set before Next is loaded.
Object.assign(process.env, { NODE_ENV: dev ? "development" : "production" });
const { default: next } = await import("next");
const { edgeConfig, listen } = readSettings();
const { port, host: hostname } = listen;

/** Read once, validated; an invalid setting stops the server with its name (README: Settings). */
function readSettings(): { edgeConfig: EdgeConfig; listen: ListenSettings } {
  try {
    return { edgeConfig: readEdgeConfig(process.env), listen: readListenSettings(process.env) };
  } catch (error) {
    console.error(`Sigil web app: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
}

const server = createEdgeServer(edgeConfig, (req, res) => {
  for (const [name, value] of Object.entries(securityHeaders(req))) res.setHeader(name, value);
  handle(req, res).catch((error: unknown) => {
    console.error("Request failed:", error);
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
server.listen(port, hostname, () => console.log(`▲ Sigil web app on http://${hostname}:${port}${dev ? " (development)" : ""}`));

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    server.close();
    void app.close().finally(() => process.exit(0));
    // Keep-alive connections would hold `close` open: do not wait for them for long.
    setTimeout(() => process.exit(0), 2_000).unref();
  });
}
