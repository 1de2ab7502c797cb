/** The workspace URL pattern the server computed for this request, e.g. `http://{slug}.localhost:3000`. */
export function workspaceUrl(pattern: string, slug: string): string {
  return pattern.replace("{slug}", slug);
}
