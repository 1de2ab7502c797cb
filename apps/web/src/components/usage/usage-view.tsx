"use client";

import { useSuspenseQuery } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { useMe } from "@/components/workspace/workspace-context";
import { formatCount, formatMegabytes, storageText } from "@/components/files/format";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { PageHeader } from "@/components/ui/page-header";
import { ProgressBar } from "@/components/ui/progress-bar";
import { useTRPC } from "@/trpc/client";
import { UsageDashboard } from "./usage-dashboard";
import { DEFAULT_PRESET, formatTokens, presetRange } from "./usage-format";

/** The month boundary is UTC: shown in UTC on the server and in every browser alike. */
const UTC_DATE = new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeZone: "UTC" });

const PLAN_LABELS: Record<string, string> = { free: "Free", pro: "Pro", enterprise: "Enterprise" };

function UsageCard({
  title,
  description,
  figure,
  bar,
  footnote,
}: {
  title: string;
  description: string;
  figure: ReactNode;
  bar?: ReactNode;
  footnote: ReactNode;
}) {
  return (
    <Card className="flex flex-col">
      <CardHeader>
        <CardTitle>{title}</CardTitle>
        <CardDescription>{description}</CardDescription>
      </CardHeader>
      <CardContent className="flex flex-1 flex-col gap-3">
        <p className="text-2xl font-semibold tracking-tight text-gray-900 tabular-nums">{figure}</p>
        {bar ?? null}
        <p className="mt-auto text-sm text-gray-600">{footnote}</p>
      </CardContent>
    </Card>
  );
}

function Of({ used, limit }: { used: string; limit: string }) {
  return (
    <>
      {used} <span className="text-base font-normal text-gray-500">of {limit}</span>
    </>
  );
}

/** The plan's limits against this workspace's use: seats, storage, executions this month. */
export function UsageView({ seatLimit }: { seatLimit: number | null }) {
  const me = useMe();
  const trpc = useTRPC();
  const isAdmin = me.user.role === "admin";
  const { data: storage } = useSuspenseQuery(trpc.files.usage.queryOptions());
  const { data: stats } = useSuspenseQuery(trpc.executions.stats.queryOptions());
  const month = stats.thisMonth;

  return (
    <>
      <PageHeader
        title="Usage"
        description="This workspace's use of its plan (seats, storage, executions and tokens this month), and its tokens and cost over time."
        actions={
          <Badge tone="brand" className="px-3 py-1 text-sm">
            {PLAN_LABELS[me.tenant.plan] ?? me.tenant.plan} plan
          </Badge>
        }
      />
      <div className="grid gap-4 md:grid-cols-2 xl:grid-cols-4">
        {isAdmin ? <SeatsCard limit={seatLimit} /> : <SeatsLimitCard limit={seatLimit} />}
        <UsageCard
          title="Storage"
          description="Files of this workspace."
          figure={<Of used={formatMegabytes(storage.usedBytes)} limit={formatMegabytes(storage.limitBytes)} />}
          bar={
            <ProgressBar
              label="Storage used"
              value={storage.usedBytes}
              max={storage.limitBytes}
              valueText={storageText(storage.usedBytes, storage.limitBytes)}
            />
          }
          footnote={storage.remainingBytes > 0 ? `${formatMegabytes(storage.remainingBytes)} free.` : "Full: uploads are refused until files are deleted."}
        />
        <UsageCard
          title="Executions this month"
          description="Runs of prompts and deployments."
          figure={<Of used={formatCount(month.used)} limit={formatCount(month.limit)} />}
          bar={
            <ProgressBar
              label="Executions this month"
              value={month.used}
              max={month.limit}
              valueText={`${formatCount(month.used)} of ${formatCount(month.limit)}`}
            />
          }
          footnote={
            <>
              {month.remaining > 0 ? `${formatCount(month.remaining)} left. ` : "Limit reached: new executions are refused. "}
              Resets on {UTC_DATE.format(month.periodEnd)} (UTC).
            </>
          }
        />
        <TokenBudgetCard />
      </div>
      <p className="mt-6 text-sm text-gray-600">Limits are set by your Sigil administrator; ask them for a larger plan.</p>
      <UsageDashboard />
    </>
  );
}

function SeatsCard({ limit }: { limit: number | null }) {
  const trpc = useTRPC();
  const { data: users } = useSuspenseQuery(trpc.users.list.queryOptions({}));
  const active = users.filter((user) => user.status === "active").length;
  const invited = users.filter((user) => user.status === "pending").length;
  const used = active + invited;
  return (
    <UsageCard
      title="Users"
      description="Seats: active and invited."
      figure={limit === null ? formatCount(used) : <Of used={formatCount(used)} limit={formatCount(limit)} />}
      bar={
        limit === null ? (
          <ProgressBar label="Seats used" value={0} max={1} valueText="Limit unknown" />
        ) : (
          <ProgressBar label="Seats used" value={used} max={limit} valueText={`${formatCount(used)} of ${formatCount(limit)}`} />
        )
      }
      footnote={`${active} active, ${invited} invited${limit !== null ? `; ${Math.max(0, limit - used)} seats free` : ""}.`}
    />
  );
}

/** Members and viewers may not list users: the plan's limit only. */
function SeatsLimitCard({ limit }: { limit: number | null }) {
  return (
    <UsageCard
      title="Users"
      description="Seats: active and invited."
      figure={
        limit === null ? (
          "—"
        ) : (
          <>
            {formatCount(limit)} <span className="text-base font-normal text-gray-500">seats on the plan</span>
          </>
        )
      }
      footnote={
        limit === null ? "Ask an admin how many seats are in use." : `The plan allows ${formatCount(limit)} users. Admins see how many seats are taken.`
      }
    />
  );
}

/** The plan's token budget against this month's tokens (from usage.summary, whatever its range). */
function TokenBudgetCard() {
  const trpc = useTRPC();
  const { data } = useSuspenseQuery(trpc.usage.summary.queryOptions(presetRange(DEFAULT_PRESET)));
  const budget = data.tokenBudget;
  if (budget.limit === null) {
    return (
      <UsageCard
        title="Tokens this month"
        description="Input and output tokens of finished executions."
        figure={formatTokens(budget.used)}
        footnote={`No token budget on this plan. Counting restarts on ${UTC_DATE.format(budget.periodEnd)} (UTC).`}
      />
    );
  }
  return (
    <UsageCard
      title="Tokens this month"
      description="Input and output tokens of finished executions."
      figure={<Of used={formatTokens(budget.used)} limit={formatTokens(budget.limit)} />}
      bar={
        <ProgressBar
          label="Tokens this month"
          value={Math.min(budget.used, budget.limit)}
          max={budget.limit}
          valueText={`${formatTokens(budget.used)} of ${formatTokens(budget.limit)}`}
        />
      }
      footnote={
        <>
          {budget.remaining !== null && budget.remaining > 0 ? `${formatTokens(budget.remaining)} left. ` : "Budget reached: new executions are refused. "}
          Resets on {UTC_DATE.format(budget.periodEnd)} (UTC).
        </>
      }
    />
  );
}
