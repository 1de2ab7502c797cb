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

export function requestInfoFrom(req: Request): RequestInfo {
  const url = new URL(req.url);
  const hostHeader = req.headers.get("host") ?? url.host;
  const authorization = req.headers.get("authorization");
  const bearer = authorization?.match(/^Bearer\s+(\S+)$/i)?.[1] ?? null;
  return {
    method: req.method,
    host: hostName(hostHeader),
    hostHeader: hostHeader.toLowerCase(),
    path: url.pathname,
    tenantHeader: req.headers.get("x-tenant-id"),
    cookies: parseCookies(req.headers.get("cookie")),
    origin: req.headers.get("origin"),
    apiKey: bearer ?? req.headers.get("x-api-key"),
    // Decided by the HTTP edge from the socket (and TRUST_PROXY), never from a client's X-Forwarded-For.
    ip: req.headers.get(EDGE_HEADERS.clientIp),
    userAgent: req.headers.get("user-agent"),
    secure: url.protocol === "https:" || req.headers.get(EDGE_HEADERS.proto) === "https",
  };
}
