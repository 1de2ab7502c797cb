import { AsyncResource } from "node:async_hooks";
import { createServer, IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Env } from "@sigil/db";
import { readApiConfig, type ApiConfig } from "../config.ts";
import { requestIdFrom, runWithRequestLog } from "../observability/logger.ts";
import { EDGE_HEADERS, INTERNAL_HEADER_PREFIX } from "./edge-headers.ts";
import { trpcErrorBody, trpcProcedures } from "./trpc-error-body.ts";

/**
 * The HTTP edge: what every request passes before Next or tRPC sees it (scripts/start.ts serves
 * the web app through it; `startApiServer` too). Route handlers cannot see the socket or the raw
 * headers, and by the time they run the body may already be read, so these checks live here:
 *
 * - two Host headers → 400 (Node keeps the first; a proxy may have routed by the second);
 * - every `x-sigil-*` header a client sent is removed (internal routing headers are set by
 *   src/proxy.ts of the web app, and the edge's own below), and so are X-Forwarded-* unless
 *   TRUST_PROXY says who set them;
 * - the client address and scheme are decided once, from the socket (or the trusted proxies),
 *   and passed on in `x-sigil-client-ip` / `x-sigil-proto`;
 * - the body is limited per route: a Content-Length over the limit is refused at once, a longer
 *   chunked or lying body as soon as it crosses the limit (413); nothing downstream reads an
 *   unbounded body, and at most `limit` bytes are held in memory.
 */
const FORWARDED_HEADERS = ["x-forwarded-for", "x-forwarded-proto", "x-forwarded-host", "x-forwarded-port", "forwarded"];

export { readListenSettings, type ListenSettings } from "../server-settings.ts";

export type EdgeConfig = Pick<ApiConfig, "trustProxyHops" | "maxBodyBytes" | "maxUploadBodyBytes">;
export type NodeHandler = (req: IncomingMessage, res: ServerResponse) => void;

/** The edge's settings (README: Settings); an invalid one stops the server with its name. */
export function readEdgeConfig(env: Env): EdgeConfig {
  const { trustProxyHops, maxBodyBytes, maxUploadBodyBytes } = readApiConfig(env);
  return { trustProxyHops, maxBodyBytes, maxUploadBodyBytes };
}

/**
 * Headers of every answer, pages, assets and API alike (pages add their CSP in the web app's
 * src/proxy.ts, the API its own in handler.ts). HSTS only when the client came over TLS: sent on
 * plain http it would be ignored, and on localhost it would break every other local app.
 */
export function securityHeaders(req: IncomingMessage): Record<string, string> {
  const headers: Record<string, string> = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "strict-origin-when-cross-origin",
    "permissions-policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=(), browsing-topics=()",
  };
  if (req.headers[EDGE_HEADERS.proto] === "https") headers["strict-transport-security"] = "max-age=31536000; includeSubDomains";
  return headers;
}

/** How many Host headers the client sent (rawHeaders keeps duplicates; `headers` does not). */
export function hostHeaderCount(rawHeaders: readonly string[]): number {
  let count = 0;
  for (let index = 0; index < rawHeaders.length; index += 2) if (rawHeaders[index]?.toLowerCase() === "host") count++;
  return count;
}

function headerValues(value: string | string[] | undefined): string[] {
  const joined = Array.isArray(value) ? value.join(",") : (value ?? "");
  return joined
    .split(",")
    .map((part) => part.trim())
    .filter((part) => part !== "");
}

/**
 * The client address: with `hops` trusted proxies, the address the outermost of them saw (the
 * `hops`-th entry of X-Forwarded-For from the right, counting the socket's peer as the first
 * proxy); anything further left was written by the client and is ignored.
 */
export function clientAddress(socketAddress: string | undefined, forwardedFor: string | string[] | undefined, hops: number): string | null {
  const chain = [...headerValues(forwardedFor), ...(socketAddress ? [socketAddress] : [])];
  if (chain.length === 0) return null;
  const index = Math.max(0, chain.length - 1 - hops);
  return chain[index] ?? null;
}

/** "https" or "http": the socket's TLS, or the nearest trusted proxy's X-Forwarded-Proto. */
export function clientProto(encrypted: boolean, forwardedProto: string | string[] | undefined, hops: number): "https" | "http" {
  if (hops > 0) {
    const nearest = headerValues(forwardedProto).at(-1)?.toLowerCase();
    if (nearest === "https" || nearest === "http") return nearest;
  }
  return encrypted ? "https" : "http";
}

/** The body limit of a request: file uploads get the upload limit, everything else the general one. */
export function bodyLimit(pathname: string, config: EdgeConfig): number {
  const upload = trpcProcedures(pathname).includes("files.upload") || REST_UPLOAD_PATH.test(pathname);
  return upload ? config.maxUploadBodyBytes : config.maxBodyBytes;
}

/** The REST route of file uploads (POST /api/v1/files, src/routers/files.ts), under a workspace prefix too. */
const REST_UPLOAD_PATH = /^(?:\/tenant\/[^/]+)?\/api\/v1\/files\/?$/i;

function hasBody(req: IncomingMessage): boolean {
  return req.headers["transfer-encoding"] !== undefined || (req.headers["content-length"] !== undefined && req.headers["content-length"] !== "0");
}

/** How long a refused request's body is still read (and thrown away) so the client sees the answer. */
const LINGER_MS = 2_000;

function refuse(req: IncomingMessage, res: ServerResponse, status: 400 | 413, message: string): void {
  const url = new URL(req.url ?? "/", "http://edge.invalid");
  const isTrpc = trpcProcedures(url.pathname).length > 0 || /\/api\/trpc\/?$/.test(url.pathname);
  const code = status === 413 ? "PAYLOAD_TOO_LARGE" : "BAD_REQUEST";
  // Each API answers errors in its own shape: tRPC's (superjson), REST's { code, message }.
  const isRest = /^(?:\/tenant\/[^/]+)?\/api\/v1(?:\/|$)/.test(url.pathname);
  const body = isTrpc ? trpcErrorBody(url, code, status, message) : JSON.stringify(isRest ? { code, message } : { error: { message } });
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(body), "cache-control": "no-store" });
  res.end(body);
  // Closing a socket with unread bytes in it resets the connection, and the client may lose
  // the answer before reading it. So what the client still sends is read and discarded (memory
  // stays flat) for a moment, then the connection is closed unless the body has ended by then.
  req.resume();
  res.once("finish", () => {
    if (req.complete) return;
    const timer = setTimeout(() => req.socket.destroy(), LINGER_MS);
    req.once("end", () => clearTimeout(timer));
    req.socket.once("close", () => clearTimeout(timer));
  });
}

function tooLarge(limit: number): string {
  const mib = 1024 * 1024;
  const size = limit >= mib ? `${Number((limit / mib).toFixed(1))} MB` : `${Math.floor(limit / 1024)} KB`;
  return `The request body is larger than ${size}, the limit for this request.`;
}

/** Removes what a client may not choose and records what the edge decided (see the module comment). */
function normaliseHeaders(req: IncomingMessage, config: EdgeConfig): void {
  const socket = req.socket as IncomingMessage["socket"] & { encrypted?: boolean };
  const forwarded = config.trustProxyHops > 0;
  const ip = clientAddress(socket.remoteAddress, forwarded ? req.headers["x-forwarded-for"] : undefined, config.trustProxyHops);
  const proto = clientProto(socket.encrypted === true, req.headers["x-forwarded-proto"], config.trustProxyHops);
  const allowed = (name: string) => !name.startsWith(INTERNAL_HEADER_PREFIX) && (forwarded || !FORWARDED_HEADERS.includes(name));
  req.headers = Object.fromEntries(Object.entries(req.headers).filter(([name]) => allowed(name)));
  if (ip !== null) req.headers[EDGE_HEADERS.clientIp] = ip;
  req.headers[EDGE_HEADERS.proto] = proto;
  // rawHeaders too (name, value, name, value, …), for anything downstream that reads them.
  const raw: string[] = [];
  for (let index = 0; index + 1 < req.rawHeaders.length; index += 2) {
    const name = req.rawHeaders[index] ?? "";
    if (allowed(name.toLowerCase())) raw.push(name, req.rawHeaders[index + 1] ?? "");
  }
  for (const [name, value] of [
    [EDGE_HEADERS.clientIp, ip],
    [EDGE_HEADERS.proto, proto],
  ] as const)
    if (value !== null) raw.push(name, value);
  req.rawHeaders = raw;
}

/** A request whose body was read by the edge, replayed for the handler (same socket, same headers). */
function replay(req: IncomingMessage, body: Buffer): IncomingMessage {
  const copy = new IncomingMessage(req.socket);
  copy.method = req.method;
  copy.url = req.url;
  copy.httpVersion = req.httpVersion;
  copy.httpVersionMajor = req.httpVersionMajor;
  copy.httpVersionMinor = req.httpVersionMinor;
  copy.headers = { ...req.headers, "content-length": String(body.length) };
  delete copy.headers["transfer-encoding"];
  copy.rawHeaders = req.rawHeaders;
  copy.push(body);
  copy.push(null);
  copy.complete = true;
  return copy;
}

/**
 * The edge's checks for a WebSocket upgrade (Next's hot reload in development; Sigil serves no
 * WebSocket in production): false means close the socket. Same Host rule, same header clean-up.
 */
export function acceptUpgrade(config: EdgeConfig, req: IncomingMessage): boolean {
  if (hostHeaderCount(req.rawHeaders) > 1) return false;
  normaliseHeaders(req, config);
  return true;
}

/** Wraps a Node request handler with the edge's checks. */
export function withEdge(config: EdgeConfig, handler: NodeHandler): NodeHandler {
  return (req, res) => {
    if (hostHeaderCount(req.rawHeaders) > 1) {
      refuse(req, res, 400, "The request has more than one Host header.");
      return;
    }
    normaliseHeaders(req, config);
    if (!hasBody(req)) {
      handler(req, res);
      return;
    }
    const limit = bodyLimit(new URL(req.url ?? "/", "http://edge.invalid").pathname, config);
    const declared = Number(req.headers["content-length"] ?? 0);
    if (declared > limit) {
      refuse(req, res, 413, tooLarge(limit));
      return;
    }
    const chunks: Buffer[] = [];
    let received = 0;
    let refused = false;
    req.on("data", (chunk: Buffer) => {
      if (refused) return;
      received += chunk.length;
      if (received > limit) {
        refused = true;
        chunks.length = 0;
        refuse(req, res, 413, tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    });
    // Bound: the end of the body is emitted from the socket's context, which would lose the
    // request's log fields (observability/logger.ts) for everything the handler does.
    req.on(
      "end",
      AsyncResource.bind(() => {
        if (!refused) handler(replay(req, Buffer.concat(chunks, received)), res);
      }),
    );
    req.on("error", () => {
      refused = true;
      chunks.length = 0;
    });
  };
}

export { EDGE_HEADERS, INTERNAL_HEADER_PREFIX } from "./edge-headers.ts";

/**
 * Gives the request its id (the caller's well-formed `x-request-id`, else a new one), echoed in
 * the answer's `x-request-id` and carried by every log line written while it is served
 * (observability/logger.ts), refusals of the edge included.
 */
export function withRequestLog(handler: NodeHandler): NodeHandler {
  return (req, res) => {
    const reqId = requestIdFrom(req.headers["x-request-id"]);
    res.setHeader("x-request-id", reqId);
    runWithRequestLog({ reqId }, () => handler(req, res));
  };
}

/**
 * An HTTP server whose every request passes the edge. A client that sends `Expect: 100-continue`
 * is asked for its body only when the edge would take it: an oversized Content-Length or two
 * Host headers are refused before the body is sent, instead of after Node's automatic
 * "100 Continue" invited it.
 */
export function createEdgeServer(config: EdgeConfig, handler: NodeHandler): Server {
  const edge = withRequestLog(withEdge(config, handler));
  const server = createServer(edge);
  server.on("checkContinue", (req: IncomingMessage, res: ServerResponse) => {
    const pathname = new URL(req.url ?? "/", "http://edge.invalid").pathname;
    const acceptable = hostHeaderCount(req.rawHeaders) <= 1 && Number(req.headers["content-length"] ?? 0) <= bodyLimit(pathname, config);
    if (acceptable) res.writeContinue();
    edge(req, res);
  });
  return server;
}
