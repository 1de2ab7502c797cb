import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createEdgeServer, readEdgeConfig, securityHeaders, type EdgeConfig } from "./edge.ts";
import { createNodeApiHandler, type NodeApiHandlerOptions } from "./node-handler.ts";

/**
 * A plain Node HTTP server for the API alone (tests, the typed client's tests, the CLI's dev
 * mode), behind the same HTTP edge and API path as the web server (apps/web/server.ts).
 */
export async function startApiServer(
  port = 0,
  hostname = "127.0.0.1",
  edgeConfig: EdgeConfig = readEdgeConfig(process.env),
  handlerOptions: NodeApiHandlerOptions = {},
): Promise<{ server: Server; url: string; close: () => Promise<void> }> {
  const api = createNodeApiHandler(handlerOptions);
  const server = createEdgeServer(edgeConfig, (req, res) => {
    for (const [name, value] of Object.entries(securityHeaders(req))) res.setHeader(name, value);
    if (!api(req, res)) res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ error: { message: "Not found" } }));
  });
  await new Promise<void>((resolve) => server.listen(port, hostname, resolve));
  const address = server.address() as AddressInfo;
  return {
    server,
    url: `http://${hostname}:${address.port}`,
    close: () => new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}
