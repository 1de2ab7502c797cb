import type { Metadata } from "next";
import { AdminOnly } from "@/components/members/admin-only";
import { isWorkspaceAdmin } from "@/components/members/session";
import { ApiKeysView } from "@/components/settings/api-keys-view";
import { HydrateClient, prefetch, trpc } from "@/trpc/server";

export const metadata: Metadata = { title: "API keys" };

export default async function ApiKeysPage() {
  if (!(await isWorkspaceAdmin())) return <AdminOnly title="API keys" description="Keys for programs that call this workspace's API, with their scopes." />;
  await prefetch(trpc.apiKeys.list.queryOptions());
  return (
    <HydrateClient>
      <ApiKeysView />
    </HydrateClient>
  );
}
