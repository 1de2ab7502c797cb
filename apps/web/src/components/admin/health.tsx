"use client";

import { useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useEffect, useRef, useState } from "react";
import { Alert, ErrorAlert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { Label, Select } from "@/components/ui/input";
import { PageHeader } from "@/components/ui/page-header";
import { ProgressBar } from "@/components/ui/progress-bar";
import { Skeleton } from "@/components/ui/spinner";
import { Table, TableBody, TableCaption, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { useToast } from "@/components/ui/toast";
import { errorMessage } from "@/lib/trpc-errors";
import { useTRPC } from "@/trpc/client";
import type { RouterOutputs } from "@/trpc/types";
import { SchemaBadge, TenantStatusBadge } from "./badges";
import { useChunkedRun } from "./chunked-run";
import { formatBytes, formatNumber } from "./format";
import { fetchAllTenantIds } from "./tenant-ids";
import { RelativeTime } from "@/components/ui/relative-time";

type TenantHealth = RouterOutputs["admin"]["health"]["tenants"][number];

const CHECK_BADGES = {
  ok: { tone: "success", label: "ok" },
  problem: { tone: "danger", label: "problem" },
  missing: { tone: "danger", label: "file missing" },
} as const;

const STATE_ORDER = { problem: 0, missing: 1, ok: 2 } as const;

/**
 * A quick integrity check (SQLite's quick_check) of every tenant file, in chunks with progress.
 * It runs once when the page opens and again with "Run check".
 */
export function Health() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  // The tenants to check (ids and slugs; cheap: no tenant is opened through the pool).
  const { data: status } = useSuspenseQuery(trpc.admin.migrationStatus.queryOptions());
  const [checkedAt, setCheckedAt] = useState<Date | null>(null);
  const [show, setShow] = useState<"all" | "problems">("all");

  const run = useChunkedRun<TenantHealth>(
    async (tenantIds) => (await queryClient.fetchQuery({ ...trpc.admin.health.queryOptions({ tenantIds }), staleTime: 0 })).tenants,
    {
      // The result is on the page (an alert and the table): no toast.
      onFinish: () => setCheckedAt(new Date()),
    },
  );

  const { start } = run;
  const check = async () => {
    let ids: string[];
    try {
      ids = await fetchAllTenantIds(queryClient, trpc);
    } catch (error) {
      toast({ title: "Could not list the tenants", description: errorMessage(error), tone: "danger" });
      return;
    }
    await start(ids);
  };

  // Check once when the page opens (the ref keeps React's development double effects to one run).
  const started = useRef(false);
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    if (status.total > 0) void check();
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once, when the page opens
  }, []);

  const { state } = run;
  const results = [...state.results].sort((a, b) => STATE_ORDER[a.state] - STATE_ORDER[b.state] || a.slug.localeCompare(b.slug));
  const problems = results.filter((r) => r.state !== "ok");
  const visible = show === "problems" ? problems : results;
  const waitingForFirst = state.status === "running" && state.results.length === 0;

  return (
    <>
      <PageHeader
        title="Health"
        description="A quick integrity check (SQLite's quick_check) of every tenant database, with its size and schema version."
        actions={
          <Button onClick={() => void check()} loading={run.isRunning} disabled={status.total === 0}>
            Run check
          </Button>
        }
      />
      {status.total === 0 ? (
        <EmptyState title="No tenants to check" description="Tenant databases appear here once tenants are created." />
      ) : (
        <div className="space-y-5">
          <div className="grid gap-4 sm:grid-cols-[1fr_auto] sm:items-end">
            <ProgressBar
              label={state.status === "running" ? "Checking tenants" : "Checked"}
              value={state.done}
              max={Math.max(state.total, 1)}
              tone="brand"
              valueText={`${formatNumber(state.done)} of ${formatNumber(state.total || status.total)} tenants`}
            />
            <p className="text-sm text-gray-600 sm:text-right" aria-live="polite">
              {state.status === "running" ? (
                "Checking…"
              ) : checkedAt ? (
                <>
                  Last check <RelativeTime value={checkedAt} />
                </>
              ) : null}
            </p>
          </div>

          {state.status === "failed" ? (
            <ErrorAlert error={state.error} title="The check could not finish" />
          ) : state.status === "done" && problems.length === 0 ? (
            <Alert tone="success" title="Every tenant database is healthy">
              {formatNumber(results.length)} {results.length === 1 ? "file" : "files"} checked; SQLite found no problem.
            </Alert>
          ) : state.status === "done" ? (
            <Alert tone="danger" title={`${problems.length} of ${results.length} tenant databases ${problems.length === 1 ? "has" : "have"} a problem`}>
              Restore a damaged file from a backup, or delete the tenant. A missing file is never recreated empty.
            </Alert>
          ) : null}

          {waitingForFirst ? (
            <div className="space-y-2" aria-hidden="true">
              <Skeleton className="h-10 w-full" />
              <Skeleton className="h-10 w-full" />
              <Skeleton className="h-10 w-2/3" />
            </div>
          ) : results.length > 0 ? (
            <>
              <div className="flex items-end gap-3">
                <div className="w-52 space-y-1.5">
                  <Label htmlFor="health-show">Show</Label>
                  <Select id="health-show" value={show} onChange={(event) => setShow(event.target.value as "all" | "problems")}>
                    <option value="all">All tenants ({results.length})</option>
                    <option value="problems">Problems only ({problems.length})</option>
                  </Select>
                </div>
              </div>
              {visible.length === 0 ? (
                <EmptyState title="No problems" description="Every checked tenant database is healthy." />
              ) : (
                <Table>
                  <TableCaption className="sr-only">Integrity check per tenant, problems first</TableCaption>
                  <TableHeader>
                    <tr>
                      <TableHead>Tenant</TableHead>
                      <TableHead>Check</TableHead>
                      <TableHead>Result</TableHead>
                      <TableHead className="text-right">DB file size</TableHead>
                      <TableHead>Schema</TableHead>
                      <TableHead className="text-right">Time</TableHead>
                    </tr>
                  </TableHeader>
                  <TableBody>
                    {visible.map((tenant) => (
                      <TableRow key={tenant.tenantId}>
                        <TableCell>
                          <Link href={`/tenants/${tenant.tenantId}`} className="font-medium text-gray-900 hover:text-brand-700 hover:underline">
                            {tenant.name}
                          </Link>
                          <p className="flex items-center gap-1.5 font-mono text-xs text-gray-500">
                            {tenant.slug}
                            {tenant.status !== "active" ? <TenantStatusBadge status={tenant.status} /> : null}
                          </p>
                        </TableCell>
                        <TableCell>
                          <Badge tone={CHECK_BADGES[tenant.state].tone}>{CHECK_BADGES[tenant.state].label}</Badge>
                        </TableCell>
                        <TableCell className="max-w-md">
                          {tenant.state === "ok" ? (
                            <span className="text-gray-600">No problem found</span>
                          ) : (
                            <pre className="font-mono text-xs whitespace-pre-wrap text-red-700">{tenant.result}</pre>
                          )}
                        </TableCell>
                        <TableCell className="text-right whitespace-nowrap tabular-nums">{formatBytes(tenant.databaseBytes)}</TableCell>
                        <TableCell>
                          <SchemaBadge {...tenant.schema} />
                        </TableCell>
                        <TableCell className="text-right whitespace-nowrap text-gray-600 tabular-nums">{tenant.durationMs} ms</TableCell>
                      </TableRow>
                    ))}
                  </TableBody>
                </Table>
              )}
            </>
          ) : null}
        </div>
      )}
    </>
  );
}
