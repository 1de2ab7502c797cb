/**
 * A full page load, not a client-side navigation. Used after signing in or out and when a
 * session ends: layouts check the session only when they render on the server, and every query
 * cached for the previous user must go with the old page.
 */
export function hardNavigate(href: string): void {
  window.location.assign(href);
}
