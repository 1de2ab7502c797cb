"use client";

import { useSuspenseQuery } from "@tanstack/react-query";
import Link from "next/link";
import type { ReactNode } from "react";
import { Alert } from "@/components/ui/alert";
import { buttonClasses } from "@/components/ui/button";
import { PageHeader } from "@/components/ui/page-header";
import { useTRPC } from "@/trpc/client";
import { planLabel } from "./badges";
import { bytesToMegabytes, formatBytes, formatNumber } from "./format";
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

/** The installation at a glance: totals from admin.stats and usage per tenant from tenants.list. */
export function AdminOverview() {
  const trpc = useTRPC();
  const { data: stats } = useSuspenseQuery(trpc.admin.stats.queryOptions());
  const { data: tenants } = useSuspenseQuery(trpc.tenants.list.queryOptions());
  const { byStatus, byPlan } = stats.tenants;

  const executions: UsagePoint[] = [];
  const storage: UsagePoint[] = [];
  const users: UsagePoint[] = tenants.map((t) => ({ slug: t.slug, value: t.usage.users, limit: t.settings.limits.users }));
  for (const tenant of tenants) {
    if (tenant.usage.executionsThisMonth !== null)
      executions.push({ slug: tenant.slug, value: tenant.usage.executionsThisMonth, limit: tenant.settings.limits.executions_per_month });
    // Charted in MB, like the storage limit.
    if (tenant.usage.storageBytes !== null)
      storage.push({ slug: tenant.slug, value: bytesToMegabytes(tenant.usage.storageBytes), limit: tenant.settings.limits.storage });
  }

  return (
    <>
      <PageHeader title="Overview" description="The installation at a glance: tenants, users, executions this month (UTC) and storage." />
      {stats.unavailableTenants > 0 ? (
        <Alert
          tone="warning"
          title={`${stats.unavailableTenants} ${stats.unavailableTenants === 1 ? "tenant's database" : "tenants' databases"} could not be read`}
          className="mb-6"
          action={
            <Link href="/health" className={buttonClasses({ variant: "secondary", size: "sm" })}>
              Run the integrity check
            </Link>
          }
        >
          Their storage and executions are left out of the totals below.
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
          In files; {formatBytes(stats.databaseBytes)} of databases on disk
        </StatCard>
      </dl>
      <p className="mt-3 text-xs text-gray-500">
        Plans: {(Object.keys(byPlan) as (keyof typeof byPlan)[]).map((plan) => `${formatNumber(byPlan[plan])} ${planLabel(plan)}`).join(" · ")}
      </p>

      <h2 className="mt-8 mb-4 text-base font-semibold text-gray-900">Usage per tenant</h2>
      <div className="grid gap-6 lg:grid-cols-3">
        <UsageChart
          title="Executions this month"
          description="Executions started since the 1st (UTC)."
          points={executions}
          format={formatNumber}
          emptyText="No executions yet this month."
          unavailable={tenants.length - executions.length}
        />
        <UsageChart
          title="Storage"
          description="Stored files, against each plan's storage limit."
          points={storage}
          format={(mb) => formatBytes(mb * 1024 * 1024)}
          emptyText="No files stored yet."
          unavailable={tenants.length - storage.length}
        />
        <UsageChart title="Users" description="Seats in use (active and invited users)." points={users} format={formatNumber} emptyText="No users yet." />
      </div>
    </>
  );
}
