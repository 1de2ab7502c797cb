/**
 * Links inside a workspace work in both modes: on the tenant's host (`/prompts`) and under the
 * path prefix (`/tenant/acme/prompts`). `basePath` is "" or "/tenant/<slug>" (from the proxy).
 */
export function workspaceHref(basePath: string, path: string): string {
  const clean = path.startsWith("/") ? path : `/${path}`;
  // Next drops trailing slashes with a redirect: the home of `/tenant/acme` is `/tenant/acme`.
  if (clean === "/" && basePath !== "") return basePath;
  return `${basePath}${clean}`;
}

/** The proxy's base path, accepted only when it is the one this workspace segment can have. */
export function trustedBasePath(segment: string, header: string | null): string {
  return header === `/tenant/${segment}` ? header : "";
}

/** The workspace's tRPC endpoint: the path prefix keeps the session cookie's Path scoping. */
export function apiUrlFor(basePath: string): string {
  return `${basePath}/api/trpc`;
}

/** Where the login page sends a signed-out visitor of `visiblePath`. */
export function loginHref(basePath: string, visiblePath: string | null): string {
  const login = workspaceHref(basePath, "/login");
  const home = workspaceHref(basePath, "/");
  if (!visiblePath || visiblePath === home || visiblePath === `${basePath}/`) return login;
  return `${login}?next=${encodeURIComponent(visiblePath)}`;
}

/**
 * The `next` parameter of the login page, only if it stays inside this workspace: a same-site
 * path under the base path. Anything else (`//evil.test`, `https://…`, `/\evil`) goes home.
 */
export function safeNextPath(next: string | null | undefined, basePath: string): string {
  const home = workspaceHref(basePath, "/");
  if (next === basePath && basePath !== "") return home;
  if (!next || !next.startsWith(`${basePath}/`) || next.startsWith("//") || next.includes("\\")) return home;
  // Dot segments would climb out of the prefix once the browser normalises them (`/tenant/acme/../globex`).
  if (/(^|\/)(\.|%2e){1,2}(\/|\?|#|$)/i.test(next)) return home;
  // Control characters (a newline in a Location header, a tab browsers strip) are never needed.
  if ([...next].some((char) => char.charCodeAt(0) < 0x20 || char.charCodeAt(0) === 0x7f)) return home;
  return next;
}
