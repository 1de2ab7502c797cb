import type { Metadata } from "next";
import { headers } from "next/headers";
import { Logo } from "@/components/logo";
import { buttonClasses } from "@/components/ui/button";
import { ROUTE_HEADERS } from "@/lib/routing";
import { siteUrls } from "@/lib/server/site-url";
import { workspaceHref } from "@/lib/workspace-href";

export const metadata: Metadata = { title: "Not found" };

/**
 * The 404 page (status 404). For an address that names no workspace (unknown name, unregistered
 * domain, hostile host or path) it says the workspace does not exist; inside an existing
 * workspace or the admin dashboard, that the page does not, with a way back.
 */
export default async function NotFound() {
  const incoming = await headers();
  const area = incoming.get(ROUTE_HEADERS.area);
  const { root } = await siteUrls();
  const noWorkspace = area === "invalid" || area === "unknown-workspace";
  const back =
    area === "workspace"
      ? { href: workspaceHref(incoming.get(ROUTE_HEADERS.basePath) ?? "", "/"), label: "Go to the workspace" }
      : area === "admin"
        ? { href: "/", label: "Go to the admin overview" }
        : { href: `${root}/`, label: "Go to the Sigil home page" };
  return (
    <main className="flex min-h-dvh flex-col items-center justify-center px-6 py-16">
      <div className="w-full max-w-md text-center">
        <div className="mb-10 flex justify-center">
          <Logo />
        </div>
        <p className="text-sm font-semibold text-brand-700">404</p>
        <h1 className="mt-2 text-2xl font-semibold tracking-tight text-gray-900">{noWorkspace ? "This workspace does not exist" : "Page not found"}</h1>
        <p className="mt-3 text-sm leading-6 text-gray-600">
          {noWorkspace
            ? "There is no Sigil workspace at this address. Check the spelling of the workspace name, or ask your administrator for the right link."
            : "The page you asked for does not exist or has moved."}
        </p>
        <div className="mt-8">
          <a href={back.href} className={buttonClasses({ variant: "secondary" })}>
            {back.label}
          </a>
        </div>
      </div>
    </main>
  );
}
