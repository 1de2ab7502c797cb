import { TRPCError } from "@trpc/server";
import type { RequestInfo } from "../request-info.ts";

/**
 * Cookie-authenticated mutations must come from the same origin (docs/architecture.md: CORS and Origin; no CORS `*`,
 * check Origin). Browsers send Origin on every POST; a missing one is refused too.
 */
export function assertSameOrigin(request: RequestInfo, { required }: { required: boolean }): void {
  if (request.origin === null) {
    if (!required) return;
    throw new TRPCError({ code: "FORBIDDEN", message: "Cross-site request refused: the Origin header is missing." });
  }
  let origin: string;
  let own: string;
  try {
    origin = new URL(request.origin).origin;
    // The URL parser drops default ports (http://x:80 → http://x), so both sides compare alike.
    own = new URL(`${request.secure ? "https" : "http"}://${request.hostHeader}`).origin;
  } catch {
    throw new TRPCError({ code: "FORBIDDEN", message: "Cross-site request refused: the Origin header is malformed." });
  }
  // Scheme, host and port: a page on http://… may not act on https://… (or the other way round).
  if (origin !== own) {
    throw new TRPCError({ code: "FORBIDDEN", message: `Cross-site request refused: ${request.origin} may not act on ${own}.` });
  }
}
