import type { Metadata } from "next";
import { AdminOnly } from "@/components/members/admin-only";
import { isWorkspaceAdmin } from "@/components/members/session";
import { UsersView } from "@/components/members/users-view";
import { HydrateClient, prefetch, trpc } from "@/trpc/server";

export const metadata: Metadata = { title: "Users" };

export default async function UsersPage() {
  if (!(await isWorkspaceAdmin())) return <AdminOnly title="Users" description="Invite people, change their roles, and deactivate accounts." />;
  await prefetch(trpc.users.list.queryOptions({}));
  return (
    <HydrateClient>
      <UsersView />
    </HydrateClient>
  );
}
