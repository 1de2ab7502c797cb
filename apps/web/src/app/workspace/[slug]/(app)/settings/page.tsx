import type { Metadata } from "next";
import { AdminOnly } from "@/components/members/admin-only";
import { isWorkspaceAdmin } from "@/components/members/session";
import { SettingsView } from "@/components/settings/settings-view";
import { HydrateClient, prefetch, trpc } from "@/trpc/server";

export const metadata: Metadata = { title: "Settings" };

export default async function SettingsPage() {
  if (!(await isWorkspaceAdmin())) return <AdminOnly title="Settings" description="Model providers and webhooks of this workspace." />;
  await prefetch(trpc.settings.list.queryOptions());
  return (
    <HydrateClient>
      <SettingsView />
    </HydrateClient>
  );
}
