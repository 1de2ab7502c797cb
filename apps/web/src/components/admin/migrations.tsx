"use client";

import { useMutation, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import Link from "next/link";
import { Alert, ErrorAlert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { ProgressBar } from "@/components/ui/progress-bar";
import { Table, TableBody, TableCaption, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { useToast } from "@/components/ui/toast";
import { errorMessage } from "@/lib/trpc-errors";
import { useTRPC } from "@/trpc/client";
import type { RouterOutputs } from "@/trpc/types";
import { SchemaBadge, type SchemaState } from "./badges";
import { DEFAULT_CHUNK_SIZE, useChunkedRun } from "./chunked-run";
import { formatNumber } from "./format";
import { fetchAllTenantIds } from "./tenant-ids";

type MigrationResult = RouterOutputs["admin"]["migrateAll"]["results"][number];

const STATE_ORDER: Record<SchemaState, number> = { unreadable: 0, missing: 1, behind: 2, unknown: 3, up_to_date: 4 };

const RESULT_ORDER = { failed: 0, applied: 1, up_to_date: 2 } as const;

const RESULT_BADGES = {
  applied: { tone: "brand", label: "applied" },
  up_to_date: { tone: "success", label: "up to date" },
  failed: { tone: "danger", label: "failed" },
} as const;

function SummaryCard({ label, value, tone }: { label: string; value: number; tone: "success" | "warning" | "danger" | "neutral" }) {
  const color = { success: "text-green-700", warning: "text-amber-700", danger: "text-red-700", neutral: "text-gray-900" }[tone];
  return (
    <div className="rounded-lg border border-gray-200 bg-white px-4 py-3 shadow-xs">
      <dt className="text-sm text-gray-600">{label}</dt>
      <dd className={`mt-0.5 text-xl font-semibold tabular-nums ${value > 0 ? color : "text-gray-900"}`}>{formatNumber(value)}</dd>
    </div>
  );
}

/** Every tenant's schema version against the latest, and "Migrate all" in chunks with live progress. */
export function Migrations() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const { data: status } = useSuspenseQuery(trpc.admin.migrationStatus.queryOptions());
  const migrate = useMutation(trpc.admin.migrateAll.mutationOptions());

  const run = useChunkedRun<MigrationResult>(async (tenantIds) => (await migrate.mutateAsync({ tenantIds })).results, {
    onFinish: (results) => {
      const failed = results.filter((r) => r.status === "failed").length;
      const applied = results.filter((r) => r.status === "applied").length;
      toast({
        title: failed > 0 ? `Migration finished with ${failed} ${failed === 1 ? "failure" : "failures"}` : "Every tenant is up to date",
        description: `${applied} migrated, ${results.length - applied - failed} already up to date.`,
        tone: failed > 0 ? "danger" : "success",
      });
      void Promise.all([
        queryClient.invalidateQueries({ queryKey: trpc.admin.migrationStatus.queryKey() }),
        queryClient.invalidateQueries({ queryKey: trpc.tenants.list.queryKey() }),
        queryClient.invalidateQueries({ queryKey: trpc.admin.stats.queryKey() }),
      ]);
    },
  });

  const startAll = async () => {
    // The list as it is now: tenants created since the page loaded are migrated too.
    let ids: string[];
    try {
      ids = await fetchAllTenantIds(queryClient, trpc);
    } catch (error) {
      toast({ title: "Could not list the tenants", description: errorMessage(error), tone: "danger" });
      return;
    }
    await run.start(ids);
  };

  const { state } = run;
  const counts = {
    applied: state.results.filter((r) => r.status === "applied").length,
    upToDate: state.results.filter((r) => r.status === "up_to_date").length,
    failed: state.results.filter((r) => r.status === "failed").length,
  };
  // Failures first, then what changed: the long tail of "up to date" last.
  const sortedResults = [...state.results].sort((a, b) => RESULT_ORDER[a.status] - RESULT_ORDER[b.status]);
  const rows = [...status.tenants].sort((a, b) => STATE_ORDER[a.state] - STATE_ORDER[b.state] || a.slug.localeCompare(b.slug));
  const pendingWork = status.summary.behind + status.summary.unknown;

  return (
    <>
      <PageHeader
        title="Migrations"
        description={`Every tenant database's schema version against the latest (v${status.latest}).`}
        actions={
          <Button onClick={() => void startAll()} loading={run.isRunning} disabled={status.total === 0}>
            Migrate all
          </Button>
        }
      />
      <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4">
        <SummaryCard label="Up to date" value={status.summary.up_to_date} tone="success" />
        <SummaryCard label="Behind" value={status.summary.behind} tone="warning" />
        <SummaryCard label="Not recorded" value={status.summary.unknown} tone="warning" />
        <SummaryCard label="Tenants" value={status.total} tone="neutral" />
      </dl>

      {state.status !== "idle" ? (
        <Card className="mt-6">
          <CardHeader>
            <CardTitle>Migration run</CardTitle>
            <CardDescription>
              {state.status === "running"
                ? `Migrating in chunks of ${DEFAULT_CHUNK_SIZE} tenants, one request after the other.`
                : state.status === "done"
                  ? "Finished."
                  : state.status === "stopped"
                    ? "Stopped. Tenants not reached were left as they were."
                    : "A request failed; the tenants not reached were left as they were."}
            </CardDescription>
          </CardHeader>
          <CardContent className="space-y-4">
            <ProgressBar
              label="Migrating tenants"
              value={state.done}
              max={Math.max(state.total, 1)}
              tone={state.status === "failed" ? "danger" : state.status === "done" && counts.failed > 0 ? "warning" : "brand"}
              valueText={`${formatNumber(state.done)} of ${formatNumber(state.total)} tenants`}
            />
            <p className="sr-only" aria-live="polite">
              {state.status === "done"
                ? `Migration finished: ${counts.applied} migrated, ${counts.upToDate} up to date, ${counts.failed} failed.`
                : `${state.done} of ${state.total} tenants done.`}
            </p>
            <div className="flex flex-wrap items-center gap-2 text-sm">
              <Badge tone="brand">{formatNumber(counts.applied)} applied</Badge>
              <Badge tone="success">{formatNumber(counts.upToDate)} up to date</Badge>
              <Badge tone={counts.failed > 0 ? "danger" : "neutral"}>{formatNumber(counts.failed)} failed</Badge>
              <span className="ml-auto flex gap-2">
                {state.status === "running" ? (
                  <Button size="sm" variant="secondary" onClick={run.stop}>
                    Stop
                  </Button>
                ) : null}
                {(state.status === "failed" || state.status === "stopped") && state.remaining.length > 0 ? (
                  <Button size="sm" onClick={() => void run.resume()}>
                    Resume ({formatNumber(state.remaining.length)} left)
                  </Button>
                ) : null}
              </span>
            </div>
            {state.status === "failed" ? <ErrorAlert error={state.error} title="A migration request failed" /> : null}
            {state.results.length > 0 ? (
              <div className="max-h-96 overflow-y-auto rounded-lg border border-gray-200">
                <table className="w-full text-left text-sm">
                  <caption className="sr-only">Result per tenant</caption>
                  <thead className="sticky top-0 bg-gray-50">
                    <tr className="border-b border-gray-200">
                      <th scope="col" className="px-4 py-2 text-xs font-semibold tracking-wide text-gray-600 uppercase">
                        Tenant
                      </th>
                      <th scope="col" className="px-4 py-2 text-xs font-semibold tracking-wide text-gray-600 uppercase">
                        Result
                      </th>
                      <th scope="col" className="px-4 py-2 text-xs font-semibold tracking-wide text-gray-600 uppercase">
                        Detail
                      </th>
                    </tr>
                  </thead>
                  <tbody className="divide-y divide-gray-100">
                    {sortedResults.map((result) => (
                      <tr key={result.tenantId}>
                        <td className="px-4 py-2 font-mono text-xs">{result.slug}</td>
                        <td className="px-4 py-2">
                          <Badge tone={RESULT_BADGES[result.status].tone}>{RESULT_BADGES[result.status].label}</Badge>
                        </td>
                        <td className="px-4 py-2 text-gray-700">
                          {result.status === "failed" ? (
                            <span className="text-red-700">{result.error ?? "Failed."}</span>
                          ) : result.status === "applied" ? (
                            `v${result.fromVersion} → v${result.toVersion} · ${result.applied} ${result.applied === 1 ? "migration" : "migrations"} · ${Math.round(result.durationMs)} ms`
                          ) : (
                            `v${result.toVersion}`
                          )}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            ) : null}
          </CardContent>
        </Card>
      ) : pendingWork > 0 ? (
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
