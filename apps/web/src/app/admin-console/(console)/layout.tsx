import { headers } from "next/headers";
import { redirect } from "next/navigation";
import type { ReactNode } from "react";
import { AdminShell } from "@/components/admin/admin-shell";
import { ROUTE_HEADERS } from "@/lib/routing";
import { assertAdminRequest } from "@/lib/server/admin-request";
import { loginHref } from "@/lib/workspace-href";
import { loadAdminSession } from "@/trpc/session";

/** The signed-in admin console; a visitor without a session signs in and comes back. */
export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  await assertAdminRequest();
  if ((await loadAdminSession()).status !== "signed-in") redirect(loginHref("", (await headers()).get(ROUTE_HEADERS.visiblePath)));
  return <AdminShell>{children}</AdminShell>;
}
