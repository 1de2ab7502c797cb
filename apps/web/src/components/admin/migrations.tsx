"use client";

import { useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import type { MigrationStatusInput } from "@sigil/validators";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useCallback } from "react";
import { Alert } from "@/components/ui/alert";
import { EmptyState } from "@/components/ui/empty-state";
import { Label, Select } from "@/components/ui/input";
import { PageHeader } from "@/components/ui/page-header";
import { Pagination } from "@/components/ui/pagination";
import { Table, TableBody, TableCaption, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { useTRPC } from "@/trpc/client";
import { SchemaBadge } from "./badges";
import { formatNumber } from "./format";
import { MaintenanceRunPanel } from "./maintenance-run";
import { migrationsHref } from "./migrations-query";

const STATE_FILTERS = [
  { value: "", label: "Every tenant" },
  { value: "behind", label: "Only behind" },
  { value: "unknown", label: "Only not recorded" },
  { value: "up_to_date", label: "Only up to date" },
] as const;

function isState(value: string): value is NonNullable<MigrationStatusInput["state"]> {
  return value === "behind" || value === "unknown" || value === "up_to_date";
}

function SummaryCard({ label, value, tone }: { label: string; value: number; tone: "success" | "warning" | "danger" | "neutral" }) {
  const color = { success: "text-green-700", warning: "text-amber-700", danger: "text-red-700", neutral: "text-gray-900" }[tone];
  return (
    <div className="rounded-lg border border-gray-200 bg-white px-4 py-3 shadow-xs">
      <dt className="text-sm text-gray-600">{label}</dt>
      <dd className={`mt-0.5 text-xl font-semibold tabular-nums ${value > 0 ? color : "text-gray-900"}`}>{formatNumber(value)}</dd>
    </div>
  );
}

/**
 * Every tenant's schema version against the latest, a page at a time (filtered by state on the
 * server, the view in the URL: migrations-query.ts), and "Migrate all" as a server-side run with
 * live progress.
 */
export function Migrations({ query }: { query: MigrationStatusInput }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const { data: status } = useSuspenseQuery(trpc.admin.migrationStatus.queryOptions(query));
  // A run changes schema versions, usage and the overview's numbers.
  const onRunFinished = useCallback(() => {
    void Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.admin.migrationStatus.pathKey() }),
      queryClient.invalidateQueries({ queryKey: trpc.tenants.list.queryKey() }),
      queryClient.invalidateQueries({ queryKey: trpc.admin.stats.queryKey() }),
    ]);
  }, [queryClient, trpc]);

  const rows = status.tenants;
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

      <section aria-labelledby="schema-per-tenant">
        <h2 id="schema-per-tenant" className="mt-8 mb-3 text-base font-semibold text-gray-900">
          Schema per tenant
        </h2>
        <div className="mb-3 w-56 space-y-1.5">
          <Label htmlFor="schema-state">Show tenants</Label>
          <Select
            id="schema-state"
            value={query.state ?? ""}
            onChange={(event) => {
              const value = event.target.value;
              router.replace(migrationsHref({ ...query, page: 1, state: isState(value) ? value : undefined }), { scroll: false });
            }}
          >
            {STATE_FILTERS.map((filter) => (
              <option key={filter.value} value={filter.value}>
                {filter.label}
              </option>
            ))}
          </Select>
        </div>
        {rows.length === 0 ? (
          query.state ? (
            <p className="text-sm text-gray-600">{query.page > 1 ? "No tenant on this page." : "No tenant in this state."}</p>
          ) : (
            <EmptyState title="No tenants yet" description="Tenants and their schema versions appear here once created." />
          )
        ) : (
          <Table>
            <TableCaption className="sr-only">Schema version per tenant, in registration order</TableCaption>
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
                    <Link href={`/tenants/${tenant.tenantId}`} className="font-mono text-xs font-medium text-brand-700 hover:text-brand-900 hover:underline">
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
        <Pagination
          page={status.page}
          totalPages={status.totalPages}
          total={status.total}
          noun="tenants"
          hrefFor={(target) => migrationsHref({ ...query, page: target })}
        />
      </section>
    </>
  );
}
