import type { Metadata } from "next";
import type { ReactNode } from "react";
import { AdminProvider } from "@/components/admin/admin-context";
import { assertAdminRequest } from "@/lib/server/admin-request";
import { apiUrlFor } from "@/lib/workspace-href";
import { TRPCReactProvider } from "@/trpc/client";
import { HydrateClient } from "@/trpc/server";
import { loadAdminSession } from "@/trpc/session";

export const metadata: Metadata = { title: { default: "Admin", template: "%s · Sigil admin" } };

/** Every page of admin.<root> (the proxy rewrites it to /admin-console/…). */
export default async function AdminLayout({ children }: { children: ReactNode }) {
  await assertAdminRequest();
  const session = await loadAdminSession();
  return (
    <TRPCReactProvider apiUrl={apiUrlFor("")}>
      <AdminProvider admin={session.status === "signed-in" ? session.admin : null}>
        <HydrateClient>{children}</HydrateClient>
      </AdminProvider>
    </TRPCReactProvider>
  );
}
