import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createEdgeServer, readEdgeConfig, securityHeaders, type EdgeConfig } from "./edge.ts";
import { handleTrpcRequest } from "./handler.ts";

/** Turns a Node request into a fetch Request (the Host header is kept: tenants are named by it). */
async function toFetchRequest(req: IncomingMessage): Promise<Request> {
  const host = req.headers.host ?? "localhost";
  const headers = new Headers();
  for (const [key, value] of Object.entries(req.headers)) {
    if (Array.isArray(value)) for (const item of value) headers.append(key, item);
    else if (value !== undefined) headers.set(key, value);
  }
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const body = chunks.length > 0 ? Buffer.concat(chunks) : undefined;
  return new Request(`http://${host}${req.url ?? "/"}`, {
    method: req.method ?? "GET",
    headers,
    body: req.method === "GET" || req.method === "HEAD" ? undefined : body,
  });
}

async function writeResponse(res: ServerResponse, response: Response): Promise<void> {
  res.statusCode = response.status;
  for (const [key, value] of response.headers) {
    if (key.toLowerCase() === "set-cookie") continue;
    res.setHeader(key, value);
  }
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) res.setHeader("set-cookie", cookies);
  res.end(Buffer.from(await response.arrayBuffer()));
}

/**
 * A plain Node HTTP server for the API alone (tests, the typed client's tests, the CLI's dev
 * mode), behind the same HTTP edge as the web app (edge.ts).
 */
export async function startApiServer(
  port = 0,
  hostname = "127.0.0.1",
  edgeConfig: EdgeConfig = readEdgeConfig(process.env),
): Promise<{ server: Server; url: string; close: () => Promise<void> }> {
  const server = createEdgeServer(edgeConfig, (req, res) => {
    for (const [name, value] of Object.entries(securityHeaders(req))) res.setHeader(name, value);
    toFetchRequest(req)
      .then(handleTrpcRequest)
      .then((response) => writeResponse(res, response))
      .catch((error: unknown) => {
        console.error("API server error:", error);
        res.statusCode = 500;
        res.end("Internal error");
      });
  });
  await new Promise<void>((resolve) => server.listen(port, hostname, resolve));
  const address = server.address() as AddressInfo;
  return {
    server,
    url: `http://${hostname}:${address.port}`,
    close: () => new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}
