import type { InnerContext } from "../context.ts";

export const SESSION_COOKIE = "sigil_session";
export const ADMIN_SESSION_COOKIE = "sigil_admin_session";

/**
 * Session cookies are host-only (no Domain), HttpOnly and SameSite=Lax. On the shared host of
 * the `/tenant/<slug>/` path prefix each tenant gets its own Path, so signing in to one tenant
 * never replaces another's session.
 */
export function cookiePath(ctx: InnerContext): string {
  const match = /^\/tenant\/([^/]+)(?:\/|$)/.exec(ctx.request.path);
  return match ? `/tenant/${match[1]}` : "/";
}

export function setCookie(ctx: InnerContext, name: string, value: string, maxAgeSeconds: number): void {
  const parts = [
    `${name}=${encodeURIComponent(value)}`,
    `Path=${cookiePath(ctx)}`,
    `Max-Age=${Math.max(0, Math.floor(maxAgeSeconds))}`,
    "HttpOnly",
    "SameSite=Lax",
  ];
  if (ctx.request.secure) parts.push("Secure");
  ctx.resHeaders.append("Set-Cookie", parts.join("; "));
}

export function clearCookie(ctx: InnerContext, name: string): void {
  setCookie(ctx, name, "", 0);
}
