import type { Metadata } from "next";
import { AuditLog } from "@/components/admin/audit-log";
import { AUDIT_PAGE_SIZE } from "@/components/admin/audit-page-size";
import { pageFromSearchParam } from "@/components/ui/pagination";
import { HydrateClient, prefetch, trpc } from "@/trpc/server";

export const metadata: Metadata = { title: "Audit log" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function AdminAuditPage({ searchParams }: { searchParams: SearchParams }) {
  const { page: rawPage, action: rawAction } = await searchParams;
  const page = pageFromSearchParam(rawPage);
  const action = typeof rawAction === "string" && rawAction.trim() !== "" && rawAction.length <= 100 ? rawAction.trim() : undefined;
  await prefetch(trpc.admin.audit.queryOptions({ page, pageSize: AUDIT_PAGE_SIZE, ...(action ? { action } : {}) }));
  return (
    <HydrateClient>
      <AuditLog page={page} action={action} />
    </HydrateClient>
  );
}
