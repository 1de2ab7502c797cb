"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { MaintenanceOutcomeName } from "@sigil/validators";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useEffect, useRef } from "react";
import { Alert } from "@/components/ui/alert";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Label, Select } from "@/components/ui/input";
import { Pagination, pageFromSearchParam } from "@/components/ui/pagination";
import { ProgressBar } from "@/components/ui/progress-bar";
import { RelativeTime } from "@/components/ui/relative-time";
import { Skeleton } from "@/components/ui/spinner";
import { Table, TableBody, TableCaption, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { useToast } from "@/components/ui/toast";
import { errorMessage } from "@/lib/trpc-errors";
import { useTRPC } from "@/trpc/client";
import type { RouterOutputs } from "@/trpc/types";
import { formatBytes, formatNumber } from "./format";

export type MaintenanceKind = "health" | "migrate" | "repair" | "backup";
type Run = RouterOutputs["maintenance"]["list"][number];
type Outcome = MaintenanceOutcomeName;

/** How often the page asks for a running run's progress. */
const POLL_MS = 500;
const RESULTS_PAGE_SIZE = 25;

const OUTCOMES: Record<MaintenanceKind, readonly Outcome[]> = {
  health: ["problem", "missing", "failed", "deleted", "on_postgres", "ok"],
  migrate: ["failed", "deleted", "applied", "up_to_date"],
  repair: ["failed", "skipped", "deleted", "repaired", "consistent"],
  backup: ["failed", "deleted", "on_postgres", "copied", "reused"],
};

const OUTCOME_BADGES: Record<Outcome, { tone: BadgeTone; label: string }> = {
  ok: { tone: "success", label: "ok" },
  problem: { tone: "danger", label: "problem" },
  missing: { tone: "danger", label: "file missing" },
  failed: { tone: "danger", label: "failed" },
  deleted: { tone: "neutral", label: "tenant deleted" },
  on_postgres: { tone: "neutral", label: "in PostgreSQL" },
  applied: { tone: "brand", label: "applied" },
  up_to_date: { tone: "success", label: "up to date" },
  consistent: { tone: "success", label: "consistent" },
  repaired: { tone: "brand", label: "repaired" },
  skipped: { tone: "danger", label: "skipped" },
  copied: { tone: "success", label: "copied" },
  reused: { tone: "success", label: "unchanged (linked)" },
};

/** `cancellable: false`: a backup set is one moment's copies, written whole or not at all (the API refuses a cancel). */
const TEXT: Record<MaintenanceKind, { title: string; start: string; progress: string; noun: string; action: string; cancellable: boolean }> = {
  health: { title: "Health check", start: "Run check", progress: "Checking tenants", noun: "checked", action: "check", cancellable: true },
  migrate: { title: "Migration run", start: "Migrate all", progress: "Migrating tenants", noun: "migrated", action: "migration", cancellable: true },
  repair: { title: "Usage repair", start: "Run repair", progress: "Repairing tenants", noun: "repaired", action: "repair", cancellable: true },
  backup: {
    title: "Backup of everything",
    start: "Back up everything now",
    progress: "Backing up tenants",
    noun: "backed up",
    action: "backup",
    cancellable: false,
  },
};

/**
 * The search parameters a kind's results use. Two panels can share a page (Health shows the
 * health check and the usage repair; Migrations pages its tenant table with `page`), so only the
 * health panel uses the plain names.
 */
const RESULT_PARAMS: Record<MaintenanceKind, { page: string; outcome: string }> = {
  health: { page: "page", outcome: "outcome" },
  migrate: { page: "runPage", outcome: "runOutcome" },
  repair: { page: "repairPage", outcome: "repairOutcome" },
  backup: { page: "backupPage", outcome: "backupOutcome" },
};

function isOutcome(kind: MaintenanceKind, value: string | null): value is Outcome {
  return value !== null && (OUTCOMES[kind] as readonly string[]).includes(value);
}

function statusLine(run: Run): string {
  switch (run.status) {
    case "running":
      return run.cancelRequested ? "Stopping after the tenants in flight…" : "Running on the server; you may leave this page and come back.";
    case "completed":
      return run.failed > 0 ? `Finished with ${formatNumber(run.failed)} ${run.failed === 1 ? "problem" : "problems"}.` : "Finished without a problem.";
    case "cancelled":
      return "Cancelled. Tenants not reached were left as they were.";
    case "failed":
      return run.error ?? "The run failed.";
  }
}

/**
 * A whole-installation run (the health check or the migration of every tenant): it runs on the
 * server (docs/architecture.md, Maintenance runs), so the page only starts it, polls its
 * progress while it runs, and pages through its results. Opening the page again shows the
 * latest run, finished or still going.
 */
export function MaintenanceRunPanel({ kind, onFinished, explanation }: { kind: MaintenanceKind; onFinished?: () => void; explanation?: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const text = TEXT[kind];
  // The latest run of the kind (read again when one is started here); `get` polls its progress.
  const latest = useQuery(trpc.maintenance.list.queryOptions({ kind, limit: 1 }));
  const run = latest.data?.[0];
  const running = run?.status === "running";
  const progress = useQuery({
    ...trpc.maintenance.get.queryOptions({ id: run?.id ?? "" }),
    enabled: run !== undefined,
    refetchInterval: (query) => (query.state.data?.status === "running" ? POLL_MS : false),
  });
  const current = progress.data ?? run;

  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.maintenance.pathKey() });
  const start = useMutation(
    trpc.maintenance.start.mutationOptions({
      onSuccess: async (started) => {
        // A read of the latest run still in flight from before the click would answer "no run
        // yet" after this: drop it and show the started run at once (its progress polls from here).
        const latestKey = trpc.maintenance.list.queryKey({ kind, limit: 1 });
        await queryClient.cancelQueries({ queryKey: latestKey });
        queryClient.setQueryData(latestKey, [started]);
        await refresh();
      },
      onError: (error) => toast({ title: `Could not start the ${text.action}`, description: errorMessage(error), tone: "danger" }),
    }),
  );
  const cancel = useMutation(
    trpc.maintenance.cancel.mutationOptions({
      onSuccess: () => void refresh(),
      onError: (error) => toast({ title: "Could not cancel", description: errorMessage(error), tone: "danger" }),
    }),
  );

  // Tell the page once when a run it watched running has ended (its own numbers changed).
  const watching = useRef<string | null>(null);
  const currentId = current?.id;
  const currentStatus = current?.status;
  useEffect(() => {
    if (currentId === undefined) return;
    if (currentStatus === "running") watching.current = currentId;
    else if (watching.current === currentId) {
      watching.current = null;
      onFinished?.();
    }
  }, [currentId, currentStatus, onFinished]);

  return (
    <Card aria-label={text.title}>
      <CardHeader className="flex flex-row items-start justify-between gap-4">
        <div>
          <CardTitle>{text.title}</CardTitle>
          {explanation ? <p className="mt-1 text-sm text-gray-600">{explanation}</p> : null}
          <CardDescription>
            {current ? (
              <>
                {statusLine(current)} Started <RelativeTime value={current.startedAt} />
                {current.finishedAt ? (
                  <>
                    , ended <RelativeTime value={current.finishedAt} />
                  </>
                ) : null}
                .
              </>
            ) : latest.isPending ? (
              "Loading the latest run…"
            ) : (
              "No run yet."
            )}
          </CardDescription>
        </div>
        <div className="flex shrink-0 gap-2">
          {running && current && text.cancellable ? (
            <Button
              size="sm"
              variant="secondary"
              loading={cancel.isPending}
              disabled={current.cancelRequested}
              onClick={() => cancel.mutate({ id: current.id })}
            >
              Cancel
            </Button>
          ) : null}
          <Button size="sm" loading={start.isPending} disabled={running} onClick={() => start.mutate({ kind })}>
            {text.start}
          </Button>
        </div>
      </CardHeader>
      <CardContent className="space-y-4">
        {latest.isError ? (
          <Alert tone="danger" title="Could not load the latest run">
            {errorMessage(latest.error)}
          </Alert>
        ) : null}
        {current ? (
          <>
            <ProgressBar
              label={running ? text.progress : `Tenants ${text.noun}`}
              value={current.done}
              max={Math.max(current.total, 1)}
              tone={current.status === "failed" ? "danger" : current.failed > 0 ? "warning" : "brand"}
              valueText={`${formatNumber(current.done)} of ${formatNumber(current.total)} tenants · ${formatNumber(current.failed)} failed`}
            />
            <p className="sr-only" aria-live="polite">
              {running ? `${current.done} of ${current.total} tenants done, ${current.failed} failed.` : statusLine(current)}
            </p>
            {progress.data ? (
              <div className="flex flex-wrap gap-2 text-sm">
                {OUTCOMES[kind]
                  .filter((outcome) => (progress.data.outcomes[outcome] ?? 0) > 0)
                  .map((outcome) => (
                    <Badge key={outcome} tone={OUTCOME_BADGES[outcome].tone}>
                      {formatNumber(progress.data.outcomes[outcome] ?? 0)} {OUTCOME_BADGES[outcome].label}
                    </Badge>
                  ))}
              </div>
            ) : null}
            <RunResults kind={kind} runId={current.id} running={running} />
          </>
        ) : null}
      </CardContent>
    </Card>
  );
}

/** One page of the run's results (?page=, ?outcome= in the URL), refreshed while the run goes. */
function RunResults({ kind, runId, running }: { kind: MaintenanceKind; runId: string; running: boolean }) {
  const trpc = useTRPC();
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const names = RESULT_PARAMS[kind];
  const page = pageFromSearchParam(params.get(names.page) ?? undefined);
  const requested = params.get(names.outcome);
  const outcome = isOutcome(kind, requested) ? requested : undefined;
  const results = useQuery({
    ...trpc.maintenance.results.queryOptions({ runId, page, pageSize: RESULTS_PAGE_SIZE, outcome }),
    refetchInterval: running ? POLL_MS * 2 : false,
  });
  const hrefFor = (target: { page?: number; outcome?: string }) => {
    // Keeps the other panel's parameters (a page can show two runs).
    const next = new URLSearchParams(params.toString());
    next.delete(names.outcome);
    next.delete(names.page);
    if (target.outcome) next.set(names.outcome, target.outcome);
    if (target.page && target.page > 1) next.set(names.page, String(target.page));
    const query = next.toString();
    return query ? `${pathname}?${query}` : pathname;
  };

  return (
    <div className="space-y-3">
      <div className="w-56 space-y-1.5">
        <Label htmlFor={`${kind}-outcome`}>Show</Label>
        <Select id={`${kind}-outcome`} value={outcome ?? ""} onChange={(event) => router.replace(hrefFor({ outcome: event.target.value }), { scroll: false })}>
          <option value="">Every result</option>
          {OUTCOMES[kind].map((value) => (
            <option key={value} value={value}>
              Only {OUTCOME_BADGES[value].label}
            </option>
          ))}
        </Select>
      </div>
      {results.isPending ? (
        <div className="space-y-2" aria-hidden="true">
          <Skeleton className="h-10 w-full" />
          <Skeleton className="h-10 w-2/3" />
        </div>
      ) : results.isError ? (
        <Alert tone="danger" title="Could not load the results">
          {errorMessage(results.error)}
        </Alert>
      ) : results.data.total === 0 ? (
        <p className="text-sm text-gray-600">{running ? "No result yet." : outcome ? "No result of this kind." : "No result."}</p>
      ) : (
        <>
          <Table>
            <TableCaption className="sr-only">Result per tenant, in the order they finished</TableCaption>
            <TableHeader>
              <tr>
                <TableHead>Tenant</TableHead>
                <TableHead>Result</TableHead>
                <TableHead>Detail</TableHead>
                {kind === "health" ? <TableHead className="text-right">DB file size</TableHead> : null}
                <TableHead className="text-right">Time</TableHead>
              </tr>
            </TableHeader>
            <TableBody>
              {results.data.data.map((result) => {
                const badge = OUTCOME_BADGES[isOutcome(kind, result.outcome) ? result.outcome : "failed"];
                const bad = badge.tone === "danger";
                return (
                  <TableRow key={result.seq}>
                    <TableCell>
                      <Link href={`/tenants/${result.tenantId}`} className="font-mono text-xs font-medium text-brand-700 hover:text-brand-900 hover:underline">
                        {result.slug}
                      </Link>
                    </TableCell>
                    <TableCell>
                      <Badge tone={badge.tone}>{badge.label}</Badge>
                    </TableCell>
                    <TableCell className="max-w-md">
                      {bad ? (
                        <>
                          <pre className="font-mono text-xs whitespace-pre-wrap text-red-700">{result.detail}</pre>
                          {result.outcome === "problem" ? (
                            <p className="mt-1 text-xs text-gray-600">
                              Restore it from a backup:{" "}
                              <code className="font-mono">pnpm sigil restore --tenant {result.slug} --from &lt;backup set folder&gt;</code>
                            </p>
                          ) : null}
                        </>
                      ) : (
                        <span className="text-gray-600">{result.outcome === "ok" ? "No problem found" : result.detail}</span>
                      )}
                    </TableCell>
                    {kind === "health" ? (
                      <TableCell className="text-right whitespace-nowrap tabular-nums">
                        {result.databaseBytes === null ? "—" : formatBytes(result.databaseBytes)}
                      </TableCell>
                    ) : null}
                    <TableCell className="text-right whitespace-nowrap text-gray-600 tabular-nums">{result.durationMs} ms</TableCell>
                  </TableRow>
                );
              })}
            </TableBody>
          </Table>
          <Pagination
            page={results.data.page}
            totalPages={results.data.totalPages}
            total={results.data.total}
            noun="results"
            hrefFor={(target) => hrefFor({ page: target, outcome })}
          />
        </>
      )}
    </div>
  );
}
