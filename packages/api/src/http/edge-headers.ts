/**
 * Request headers only the HTTP edge (src/http/edge.ts) and the web app's proxy may set. The edge
 * removes every header with this prefix from what a client sends, then adds its own.
 */
export const INTERNAL_HEADER_PREFIX = "x-sigil-";

export const EDGE_HEADERS = {
  /** The client's address: the socket's, or the one the trusted proxies saw (TRUST_PROXY). */
  clientIp: "x-sigil-client-ip",
  /** "https" when the client reached Sigil over TLS (directly or through a trusted proxy), else "http". */
  proto: "x-sigil-proto",
} as const;
