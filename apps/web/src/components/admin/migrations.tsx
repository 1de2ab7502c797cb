"use client";

import { useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useCallback } from "react";
import { Alert } from "@/components/ui/alert";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TableBody, TableCaption, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { useTRPC } from "@/trpc/client";
import { SchemaBadge, type SchemaState } from "./badges";
import { formatNumber } from "./format";
import { MaintenanceRunPanel } from "./maintenance-run";

const STATE_ORDER: Record<SchemaState, number> = { unreadable: 0, missing: 1, behind: 2, unknown: 3, up_to_date: 4 };

function SummaryCard({ label, value, tone }: { label: string; value: number; tone: "success" | "warning" | "danger" | "neutral" }) {
  const color = { success: "text-green-700", warning: "text-amber-700", danger: "text-red-700", neutral: "text-gray-900" }[tone];
  return (
    <div className="rounded-lg border border-gray-200 bg-white px-4 py-3 shadow-xs">
      <dt className="text-sm text-gray-600">{label}</dt>
      <dd className={`mt-0.5 text-xl font-semibold tabular-nums ${value > 0 ? color : "text-gray-900"}`}>{formatNumber(value)}</dd>
    </div>
  );
}

/** Every tenant's schema version against the latest, and "Migrate all" as a server-side run with live progress. */
export function Migrations() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { data: status } = useSuspenseQuery(trpc.admin.migrationStatus.queryOptions());
  // A run changes schema versions, usage and the overview's numbers.
  const onRunFinished = useCallback(() => {
    void Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.admin.migrationStatus.queryKey() }),
      queryClient.invalidateQueries({ queryKey: trpc.tenants.list.queryKey() }),
      queryClient.invalidateQueries({ queryKey: trpc.admin.stats.queryKey() }),
    ]);
  }, [queryClient, trpc]);

  const rows = [...status.tenants].sort((a, b) => STATE_ORDER[a.state] - STATE_ORDER[b.state] || a.slug.localeCompare(b.slug));
  const pendingWork = status.summary.behind + status.summary.unknown;

  return (
    <>
      <PageHeader title="Migrations" description={`Every tenant database's schema version against the latest (v${status.latest}).`} />
      <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4">
        <SummaryCard label="Up to date" value={status.summary.up_to_date} tone="success" />
        <SummaryCard label="Behind" value={status.summary.behind} tone="warning" />
        <SummaryCard label="Not recorded" value={status.summary.unknown} tone="warning" />
        <SummaryCard label="Tenants" value={status.total} tone="neutral" />
      </dl>

      <div className="mt-6">
        <MaintenanceRunPanel kind="migrate" onFinished={onRunFinished} />
      </div>
      {pendingWork > 0 ? (
        <Alert tone="warning" title={`${pendingWork} ${pendingWork === 1 ? "tenant needs" : "tenants need"} attention`} className="mt-6">
          Tenants behind the latest schema are migrated when next opened; &ldquo;Migrate all&rdquo; does it now. A version not recorded is read from the file by
          the next migration run or pnpm db:repair; missing or unreadable files show in Health.
        </Alert>
      ) : null}

      <h2 className="mt-8 mb-3 text-base font-semibold text-gray-900">Schema per tenant</h2>
      {status.total > status.tenants.length ? (
        <p className="mb-3 text-sm text-gray-600">
          The {formatNumber(status.tenants.length)} oldest of {formatNumber(status.total)} tenants; the counts above cover every tenant.
        </p>
      ) : null}
      {rows.length === 0 ? (
        <EmptyState title="No tenants yet" description="Tenants and their schema versions appear here once created." />
      ) : (
        <Table>
          <TableCaption className="sr-only">Schema version per tenant, problems first</TableCaption>
          <TableHeader>
            <tr>
              <TableHead>Tenant</TableHead>
              <TableHead>Version vs latest</TableHead>
              <TableHead>Problem</TableHead>
            </tr>
          </TableHeader>
          <TableBody>
            {rows.map((tenant) => (
              <TableRow key={tenant.tenantId}>
                <TableCell>
                  <Link href={`/tenants/${tenant.tenantId}`} className="font-mono text-xs font-medium text-gray-900 hover:text-brand-700 hover:underline">
                    {tenant.slug}
                  </Link>
                </TableCell>
                <TableCell>
                  <SchemaBadge version={tenant.version} latest={tenant.latest} state={tenant.state} />
                </TableCell>
                <TableCell className="text-gray-600">
                  {tenant.state === "behind"
                    ? `${tenant.latest - (tenant.version ?? 0)} ${tenant.latest - (tenant.version ?? 0) === 1 ? "migration" : "migrations"} to apply`
                    : tenant.state === "unknown"
                      ? "Version not recorded yet"
                      : "—"}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </>
  );
}
