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

/** Absolute URLs of the installation's hosts, with the port and scheme of this request. */
export async function siteUrls(): Promise<SiteUrls> {
  const incoming = await headers();
  const host = incoming.get("host") ?? "localhost";
  const port = /:(\d+)$/.exec(host)?.[1];
  const scheme = incoming.get("x-forwarded-proto") === "https" ? "https" : "http";
  const { rootDomain } = hostApi().apiConfig();
  const at = (name: string) => `${scheme}://${name}${port ? `:${port}` : ""}`;
  return {
    root: at(rootDomain),
    admin: at(`admin.${rootDomain}`),
    workspace: (slug) => at(`${slug}.${rootDomain}`),
    workspacePath: (slug) => `${at(rootDomain)}/tenant/${slug}/`,
  };
}
