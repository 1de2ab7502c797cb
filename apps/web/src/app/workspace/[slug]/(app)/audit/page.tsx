import { listAuditInput } from "@sigil/validators";
import type { Metadata } from "next";
import { AUDIT_PAGE_SIZE } from "@/components/audit/constants";
import { AuditView } from "@/components/audit/audit-view";
import { AdminOnly } from "@/components/members/admin-only";
import { isWorkspaceAdmin } from "@/components/members/session";
import { pageFromSearchParam } from "@/components/ui/pagination";
import { HydrateClient, prefetch, trpc } from "@/trpc/server";

export const metadata: Metadata = { title: "Audit log" };

const DESCRIPTION = "Who did what in this workspace, newest first.";

export default async function AuditPage({ searchParams }: { searchParams: Promise<{ page?: string | string[]; action?: string | string[] }> }) {
  if (!(await isWorkspaceAdmin())) return <AdminOnly title="Audit log" description={DESCRIPTION} />;
  const params = await searchParams;
  const page = pageFromSearchParam(params.page);
  const raw = (Array.isArray(params.action) ? params.action[0] : params.action)?.trim();
  // An invalid filter typed into the URL is explained next to the field, not thrown at the page.
  const parsed = listAuditInput.shape.action.safeParse(raw === "" ? undefined : raw);
  const action = parsed.success ? parsed.data : raw;
  if (parsed.success) {
    await Promise.all([
      prefetch(trpc.audit.list.queryOptions({ page, pageSize: AUDIT_PAGE_SIZE, action: parsed.data })),
      prefetch(trpc.users.list.queryOptions({})),
    ]);
  }
  return (
    <HydrateClient>
      <AuditView
        key={`${action ?? ""}`}
        page={page}
        action={action}
        actionError={parsed.success ? null : (parsed.error.issues[0]?.message ?? "Not a valid action prefix.")}
      />
    </HydrateClient>
  );
}
