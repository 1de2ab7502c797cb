import { EDGE_HEADERS } from "./http/edge-headers.ts";

/** What Sigil reads from an HTTP request; built once per request by the context. */
export interface RequestInfo {
  method: string;
  /** Host name from the Host header, lower-cased, without the port. */
  host: string;
  /** The full Host header value (with port), for same-origin checks. */
  hostHeader: string;
  path: string;
  tenantHeader: string | null;
  cookies: Record<string, string>;
  origin: string | null;
  /** `Authorization: Bearer …` or `x-api-key`. */
  apiKey: string | null;
  /** The client's address as the HTTP edge saw it (src/http/edge.ts); null without the edge. */
  ip: string | null;
  userAgent: string | null;
  secure: boolean;
}

export function parseCookies(header: string | null): Record<string, string> {
  const cookies: Record<string, string> = {};
  if (!header) return cookies;
  for (const part of header.split(";")) {
    const index = part.indexOf("=");
    if (index <= 0) continue;
    const key = part.slice(0, index).trim();
    const value = part.slice(index + 1).trim();
    if (!(key in cookies)) {
      try {
        cookies[key] = decodeURIComponent(value);
      } catch {
        cookies[key] = value;
      }
    }
  }
  return cookies;
}

/** Strips the port from a Host header value, keeping IPv6 brackets. */
export function hostName(hostHeader: string): string {
  const value = hostHeader.trim().toLowerCase();
  if (value.startsWith("[")) {
    const end = value.indexOf("]");
    return end === -1 ? value : value.slice(0, end + 1);
  }
  const colon = value.lastIndexOf(":");
  return colon === -1 ? value : value.slice(0, colon);
}

/** Reads one request header (null when absent); Node's and fetch's headers both fit. */
type HeaderReader = (name: string) => string | null;

function requestInfo(method: string, url: URL, header: HeaderReader): RequestInfo {
  const hostHeader = header("host") ?? url.host;
  const bearer = header("authorization")?.match(/^Bearer\s+(\S+)$/i)?.[1] ?? null;
  return {
    method,
    host: hostName(hostHeader),
    hostHeader: hostHeader.toLowerCase(),
    path: url.pathname,
    tenantHeader: header("x-tenant-id"),
    cookies: parseCookies(header("cookie")),
    origin: header("origin"),
    apiKey: bearer ?? header("x-api-key"),
    // Decided by the HTTP edge from the socket (and TRUST_PROXY), never from a client's X-Forwarded-For.
    ip: header(EDGE_HEADERS.clientIp),
    userAgent: header("user-agent"),
    secure: url.protocol === "https:" || header(EDGE_HEADERS.proto) === "https",
  };
}

/** From a fetch Request (the fetch handler, tests). */
export function requestInfoFrom(req: Request): RequestInfo {
  return requestInfo(req.method, new URL(req.url), (name) => req.headers.get(name));
}

/** A Node request's headers: lower-case names; a repeated header is an array (joined like fetch does). */
type NodeHeaders = Record<string, string | string[] | undefined>;

/** From a Node request (the web server's API path): the same fields, read from the same headers. */
export function requestInfoFromNode(req: { method?: string | undefined; url?: string | undefined; headers: NodeHeaders }): RequestInfo {
  const header: HeaderReader = (name) => {
    const value = req.headers[name];
    if (value === undefined) return null;
    return Array.isArray(value) ? value.join(name === "cookie" ? "; " : ", ") : value;
  };
  return requestInfo(req.method ?? "GET", new URL(req.url ?? "/", "http://node.invalid"), header);
}
