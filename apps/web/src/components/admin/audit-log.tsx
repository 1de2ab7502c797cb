"use client";

import { useSuspenseQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { buttonClasses } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { Label, Select } from "@/components/ui/input";
import { PageHeader } from "@/components/ui/page-header";
import { Pagination } from "@/components/ui/pagination";
import { Table, TableBody, TableCaption, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { useTRPC } from "@/trpc/client";
import { useSystemAdmin } from "./admin-context";
import { AUDIT_PAGE_SIZE } from "./audit-page-size";
import { formatNumber } from "./format";
import { DateTime } from "@/components/ui/date-time";

/** The actions the API records in the admin audit log, for the filter. */
export const ADMIN_AUDIT_ACTIONS = [
  "tenant.created",
  "tenant.updated",
  "tenant.suspended",
  "tenant.reactivated",
  "tenant.deleted",
  "admin.login",
  "admin.login_failed",
  "admin.migrate_tenants",
  "admin.maintenance_started",
  "admin.maintenance_cancelled",
  "admin.api_key_created",
  "admin.api_key_revoked",
  "admin.price_set",
  "admin.price_reset",
] as const;

function actionTone(action: string): BadgeTone {
  if (action.endsWith(".deleted") || action.endsWith("_failed") || action.endsWith(".suspended") || action.endsWith("_revoked")) return "danger";
  if (action.endsWith(".created") || action.endsWith("_created") || action.endsWith(".reactivated")) return "success";
  if (action.startsWith("tenant.")) return "brand";
  return "neutral";
}

function show(value: unknown): string {
  if (value === null || value === undefined) return "—";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  const json = JSON.stringify(value);
  return json.length > 80 ? `${json.slice(0, 77)}…` : json;
}

/** Keys read first in the one-line summary; ids and id lists are left to the full details. */
const SUMMARY_FIRST = [
  "name",
  "email",
  "failures",
  "reason",
  "plan",
  "changes",
  "previousStatus",
  "total",
  "applied",
  "upToDate",
  "failed",
  "owner",
  "removed",
];
const summaryRank = (key: string) => {
  const index = SUMMARY_FIRST.indexOf(key);
  return index === -1 ? SUMMARY_FIRST.length : index;
};

/** The details of an entry as short "key: value" lines ("changes" as "field: from → to"). */
function DetailsSummary({ details }: { details: Record<string, unknown> }) {
  const lines: string[] = [];
  const keys = Object.keys(details)
    .filter((key) => !/(Id|Ids)$/.test(key) && key !== "only" && key !== "failedTenants")
    .sort((a, b) => summaryRank(a) - summaryRank(b));
  for (const key of keys) {
    const value = details[key];
    if (key === "changes" && typeof value === "object" && value !== null) {
      for (const [field, change] of Object.entries(value as Record<string, { from?: unknown; to?: unknown }>))
        lines.push(`${field}: ${show(change.from)} → ${show(change.to)}`);
    } else {
      lines.push(`${key}: ${show(value)}`);
    }
  }
  if (Object.keys(details).length === 0) return <span className="text-gray-500">—</span>;
  if (lines.length === 0) lines.push("Details");
  return (
    <details className="group">
      <summary className="cursor-pointer list-none text-gray-700 marker:hidden focus-visible:outline-2 focus-visible:outline-brand-600">
        <span className="line-clamp-1 break-all">{lines.slice(0, 2).join(" · ")}</span>
        <span className="text-xs text-brand-700 group-open:hidden">Show details</span>
      </summary>
      <pre className="mt-2 max-w-xl overflow-x-auto rounded-md bg-gray-50 p-2 font-mono text-xs whitespace-pre-wrap text-gray-800">
        {JSON.stringify(details, null, 2)}
      </pre>
    </details>
  );
}

function hrefFor(page: number, action: string | undefined): string {
  const params = new URLSearchParams();
  if (page > 1) params.set("page", String(page));
  if (action) params.set("action", action);
  const query = params.toString();
  return query ? `/audit?${query}` : "/audit";
}

/** What system administrators did (and failed sign-ins), newest first, 20 a page. */
export function AuditLog({ page, action }: { page: number; action: string | undefined }) {
  const trpc = useTRPC();
  const router = useRouter();
  const me = useSystemAdmin();
  const { data } = useSuspenseQuery(trpc.admin.audit.queryOptions({ page, pageSize: AUDIT_PAGE_SIZE, ...(action ? { action } : {}) }));
  const first = data.total === 0 ? 0 : (data.page - 1) * data.pageSize + 1;
  const last = Math.min(data.page * data.pageSize, data.total);

  return (
    <>
      <PageHeader title="Audit log" description="What system administrators did, newest first. Kept after a tenant is deleted." />
      <div className="mb-4 flex flex-wrap items-end justify-between gap-3">
        <div className="w-64 space-y-1.5">
          <Label htmlFor="audit-action">Action</Label>
          <Select id="audit-action" value={action ?? ""} onChange={(event) => router.push(hrefFor(1, event.target.value || undefined))}>
            <option value="">All actions</option>
            {ADMIN_AUDIT_ACTIONS.map((value) => (
              <option key={value} value={value}>
                {value}
              </option>
            ))}
            {action && !(ADMIN_AUDIT_ACTIONS as readonly string[]).includes(action) ? <option value={action}>{action}</option> : null}
          </Select>
        </div>
        <p className="text-sm text-gray-600">
          {data.total === 0 ? "No entries" : `${formatNumber(first)}–${formatNumber(last)} of ${formatNumber(data.total)} entries`}
        </p>
      </div>
      {data.data.length === 0 ? (
        <EmptyState
          title={action ? `No “${action}” entries` : page > 1 ? "No entries on this page" : "Nothing recorded yet"}
          description={action || page > 1 ? "Try another action or the first page." : "Sign-ins and changes to tenants appear here."}
          action={
            action || page > 1 ? (
              <Link href="/audit" className={buttonClasses({ variant: "secondary" })}>
                Show all entries
              </Link>
            ) : undefined
          }
        />
      ) : (
        <Table>
          <TableCaption className="sr-only">
            Admin audit log, page {data.page} of {data.totalPages}
          </TableCaption>
          <TableHeader>
            <tr>
              <TableHead>When</TableHead>
              <TableHead>Action</TableHead>
              <TableHead>Tenant</TableHead>
              <TableHead>Administrator</TableHead>
              <TableHead>Details</TableHead>
            </tr>
          </TableHeader>
          <TableBody>
            {data.data.map((entry) => (
              <TableRow key={entry.id} className="align-top">
                <TableCell className="whitespace-nowrap text-gray-600">
                  <DateTime value={entry.createdAt} format="seconds" />
                </TableCell>
                <TableCell>
                  <Badge tone={actionTone(entry.action)} className="font-mono">
                    {entry.action}
                  </Badge>
                </TableCell>
                <TableCell className="font-mono text-xs">{entry.tenantSlug ?? <span className="text-gray-500">—</span>}</TableCell>
                <TableCell className="text-gray-600">
                  {entry.adminId === null ? (
                    <span className="text-gray-500">—</span>
                  ) : entry.adminId === me.id ? (
                    "You"
                  ) : (
                    <code className="font-mono text-xs">{entry.adminId.slice(0, 8)}</code>
                  )}
                </TableCell>
                <TableCell className="max-w-md text-sm">
                  <DetailsSummary details={entry.details} />
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      <Pagination page={data.page} totalPages={data.totalPages} total={data.total} noun="entries" hrefFor={(target) => hrefFor(target, action)} />
    </>
  );
}
