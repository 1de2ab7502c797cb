"use client";

import { useSuspenseQuery } from "@tanstack/react-query";
import Link from "next/link";
import type { ReactNode } from "react";
import { Alert } from "@/components/ui/alert";
import { buttonClasses } from "@/components/ui/button";
import { PageHeader } from "@/components/ui/page-header";
import { useTRPC } from "@/trpc/client";
import { planLabel } from "./badges";
import { formatBytes, formatNumber, megabytesToBytes } from "./format";
import { OVERVIEW_TOP } from "./overview-queries";
import { UsageChart, type UsagePoint } from "./usage-chart";

function StatCard({ label, value, children }: { label: string; value: string; children?: ReactNode }) {
  return (
    <div className="rounded-lg border border-gray-200 bg-white px-5 py-4 shadow-xs">
      <dt className="text-sm font-medium text-gray-600">{label}</dt>
      <dd className="mt-1 text-2xl font-semibold tracking-tight text-gray-900 tabular-nums">{value}</dd>
      {children ? <dd className="mt-1 text-xs text-gray-500">{children}</dd> : null}
    </div>
  );
}

/**
 * The installation at a glance: totals from admin.stats (aggregate SQL over the control plane)
 * and the largest tenants by each measure from tenants.list sorted on the server, so the page
 * costs the same at 10 tenants or 10,000.
 */
export function AdminOverview() {
  const trpc = useTRPC();
  const { data: stats } = useSuspenseQuery(trpc.admin.stats.queryOptions());
  const { data: byExecutions } = useSuspenseQuery(trpc.tenants.list.queryOptions(OVERVIEW_TOP.executions));
  const { data: byStorage } = useSuspenseQuery(trpc.tenants.list.queryOptions(OVERVIEW_TOP.storage));
  const { data: byUsers } = useSuspenseQuery(trpc.tenants.list.queryOptions(OVERVIEW_TOP.users));
  const { byStatus, byPlan } = stats.tenants;

  const executions: UsagePoint[] = byExecutions.tenants
    .filter((t) => t.usage.executionsThisMonth > 0)
    .map((t) => ({ slug: t.slug, value: t.usage.executionsThisMonth, limit: t.settings.limits.executions_per_month }));
  // Charted in bytes (the axis picks B, KB or MB as the largest value needs); the limit is in MB.
  const storage: UsagePoint[] = byStorage.tenants
    .filter((t) => t.usage.storageBytes > 0)
    .map((t) => ({ slug: t.slug, value: t.usage.storageBytes, limit: megabytesToBytes(t.settings.limits.storage) }));
  const users: UsagePoint[] = byUsers.tenants
    .filter((t) => t.usage.users > 0)
    .map((t) => ({ slug: t.slug, value: t.usage.users, limit: t.settings.limits.users }));

  return (
    <>
      <PageHeader title="Overview" description="The installation at a glance: tenants, users, executions this month (UTC) and storage." />
      {stats.schemaNotCurrent > 0 ? (
        <Alert
          tone="warning"
          title={`${formatNumber(stats.schemaNotCurrent)} ${stats.schemaNotCurrent === 1 ? "tenant's database is" : "tenants' databases are"} not at the latest schema`}
          className="mb-6"
          action={
            <Link href="/migrations" className={buttonClasses({ variant: "secondary", size: "sm" })}>
              See migrations
            </Link>
          }
        >
          They are migrated when next opened, or all at once from the migrations page.
        </Alert>
      ) : null}
      <dl className="grid gap-4 sm:grid-cols-2 lg:grid-cols-4">
        <StatCard label="Tenants" value={formatNumber(stats.tenants.total)}>
          {formatNumber(byStatus.active)} active · {formatNumber(byStatus.suspended)} suspended · {formatNumber(byStatus.inactive)} inactive
        </StatCard>
        <StatCard label="Users" value={formatNumber(stats.users.total)}>
          {formatNumber(stats.users.seats)} holding a seat (active or invited)
        </StatCard>
        <StatCard label="Executions this month" value={formatNumber(stats.executionsThisMonth)}>
          Across every tenant, since the 1st (UTC)
        </StatCard>
        <StatCard label="Storage" value={formatBytes(stats.storageBytes)}>
          In {formatNumber(stats.files)} files; {formatBytes(stats.databaseBytes)} of databases on disk
        </StatCard>
      </dl>
      <p className="mt-3 text-xs text-gray-500">
        Plans: {(Object.keys(byPlan) as (keyof typeof byPlan)[]).map((plan) => `${formatNumber(byPlan[plan])} ${planLabel(plan)}`).join(" · ")}
      </p>

      <h2 className="mt-8 mb-4 text-base font-semibold text-gray-900">Largest tenants</h2>
      <div className="grid gap-6 lg:grid-cols-3">
        <UsageChart
          title="Executions this month"
          description="Executions started since the 1st (UTC)."
          points={executions}
          format={formatNumber}
          emptyText="No executions yet this month."
        />
        <UsageChart
          title="Storage"
          description="Stored files, against each plan's storage limit."
          points={storage}
          format={formatBytes}
          tickBase={1024}
          emptyText="No files stored yet."
        />
        <UsageChart title="Users" description="Seats in use (active and invited users)." points={users} format={formatNumber} emptyText="No users yet." />
      </div>
    </>
  );
}
