import "server-only";

import { headers } from "next/headers";
import { hostApi } from "./host-api";

export interface SiteUrls {
  /** `http://localhost:3000` */
  root: string;
  /** `http://admin.localhost:3000` */
  admin: string;
  /** `http://<slug>.localhost:3000` */
  workspace: (slug: string) => string;
  /** `http://localhost:3000/tenant/<slug>/` */
  workspacePath: (slug: string) => string;
}

async function requestHost(): Promise<{ host: string; scheme: "http" | "https" }> {
  const incoming = await headers();
  return { host: incoming.get("host") ?? "localhost", scheme: incoming.get("x-forwarded-proto") === "https" ? "https" : "http" };
}

/** This request's origin as the browser sees it: `http://acme.localhost:3000`. */
export async function requestOrigin(): Promise<string> {
  const { host, scheme } = await requestHost();
  return `${scheme}://${host}`;
}

/** Absolute URLs of the installation's hosts, with the port and scheme of this request. */
export async function siteUrls(): Promise<SiteUrls> {
  const { host, scheme } = await requestHost();
  const port = /:(\d+)$/.exec(host)?.[1];
  const { rootDomain } = hostApi().apiConfig();
  const at = (name: string) => `${scheme}://${name}${port ? `:${port}` : ""}`;
  return {
    root: at(rootDomain),
    admin: at(`admin.${rootDomain}`),
    workspace: (slug) => at(`${slug}.${rootDomain}`),
    workspacePath: (slug) => `${at(rootDomain)}/tenant/${slug}/`,
  };
}
