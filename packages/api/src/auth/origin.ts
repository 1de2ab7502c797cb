import { TRPCError } from "@trpc/server";
import type { RequestInfo } from "../request-info.ts";

/**
 * Cookie-authenticated mutations must come from the same origin (ARCHITECTURE.md: no CORS `*`,
 * check Origin). Browsers send Origin on every POST; a missing one is refused too.
 */
export function assertSameOrigin(request: RequestInfo, { required }: { required: boolean }): void {
  if (request.origin === null) {
    if (!required) return;
    throw new TRPCError({ code: "FORBIDDEN", message: "Cross-site request refused: the Origin header is missing." });
  }
  let originHost: string;
  try {
    originHost = new URL(request.origin).host.toLowerCase();
  } catch {
    throw new TRPCError({ code: "FORBIDDEN", message: "Cross-site request refused: the Origin header is malformed." });
  }
  if (originHost !== request.hostHeader) {
    throw new TRPCError({ code: "FORBIDDEN", message: `Cross-site request refused: ${request.origin} may not act on ${request.hostHeader}.` });
  }
}
