"use client";

import { useQuery } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { ErrorAlert } from "@/components/ui/alert";
import { DateTime } from "@/components/ui/date-time";
import { ProgressBar } from "@/components/ui/progress-bar";
import { Skeleton } from "@/components/ui/spinner";
import { cn } from "@/lib/cn";
import { useTRPC } from "@/trpc/client";
import { percentOf } from "./format";

function StatCard({ label, value, detail, className, accent }: { label: string; value: ReactNode; detail?: ReactNode; className?: string; accent?: string }) {
  return (
    <div className={cn("rounded-lg border border-gray-200 bg-white px-4 py-3.5 shadow-xs", className)}>
      <dt className="flex items-center gap-2 text-xs font-medium tracking-wide text-gray-500 uppercase">
        {accent ? <span aria-hidden="true" className={cn("size-2 rounded-full", accent)} /> : null}
        {label}
      </dt>
      <dd className="mt-1 text-2xl font-semibold text-gray-900 tabular-nums">{value}</dd>
      {detail ? <dd className="mt-0.5 text-xs text-gray-500">{detail}</dd> : null}
    </div>
  );
}

/** Totals by status (all time) and this month's executions against the plan's limit. */
export function ExecutionStats() {
  const trpc = useTRPC();
  const stats = useQuery(
    trpc.executions.stats.queryOptions(undefined, {
      refetchInterval: (query) => (query.state.data && query.state.data.byStatus.pending + query.state.data.byStatus.running > 0 ? 3_000 : false),
    }),
  );
  if (stats.error) return <ErrorAlert error={stats.error} title="Could not load the statistics" className="mb-6" />;
  if (!stats.data) {
    return (
      <div role="status" className="mb-6 grid gap-3 sm:grid-cols-2 lg:grid-cols-6">
        <span className="sr-only">Loading statistics…</span>
        {Array.from({ length: 5 }, (_, index) => (
          <Skeleton key={index} className={cn("h-22", index === 4 && "lg:col-span-2")} />
        ))}
      </div>
    );
  }
  const { total, byStatus, thisMonth } = stats.data;
  const finished = byStatus.completed + byStatus.failed;
  const inProgress = byStatus.pending + byStatus.running;
  return (
    <dl aria-label="Execution statistics" className="mb-6 grid gap-3 sm:grid-cols-2 lg:grid-cols-6">
      <StatCard label="Total" value={total.toLocaleString("en")} detail="all time" />
      <StatCard
        label="Completed"
        accent="bg-green-500"
        value={byStatus.completed.toLocaleString("en")}
        detail={finished > 0 ? `${percentOf(byStatus.completed, finished)} % of finished` : "none finished yet"}
      />
      <StatCard
        label="Failed"
        accent="bg-red-500"
        value={byStatus.failed.toLocaleString("en")}
        detail={finished > 0 ? `${percentOf(byStatus.failed, finished)} % of finished` : "none finished yet"}
      />
      <StatCard
        label="In progress"
        accent={inProgress > 0 ? "bg-brand-500 animate-pulse" : "bg-gray-300"}
        value={inProgress.toLocaleString("en")}
        detail={`${byStatus.pending} pending · ${byStatus.running} running`}
      />
      <div className="rounded-lg border border-gray-200 bg-white px-4 py-3.5 shadow-xs sm:col-span-2">
        <dt className="text-xs font-medium tracking-wide text-gray-500 uppercase">This month</dt>
        <dd className="mt-1">
          <ProgressBar
            label={`${thisMonth.used.toLocaleString("en")} of ${thisMonth.limit.toLocaleString("en")} executions`}
            value={thisMonth.used}
            max={thisMonth.limit}
            valueText={`${percentOf(thisMonth.used, thisMonth.limit)} %`}
          />
        </dd>
        <dd className="mt-1.5 text-xs text-gray-500">
          {thisMonth.remaining.toLocaleString("en")} left on your plan · resets <DateTime value={thisMonth.periodEnd} format="date" />
        </dd>
      </div>
    </dl>
  );
}
