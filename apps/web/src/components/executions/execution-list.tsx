"use client";

import { keepPreviousData, skipToken, useQuery } from "@tanstack/react-query";
import { EXECUTION_STATUSES, REVIEW_STATUSES } from "@sigil/validators";
import Link from "next/link";
import { useSearchParams } from "next/navigation";
import { ErrorAlert } from "@/components/ui/alert";
import { Button, buttonClasses } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { Field } from "@/components/ui/field";
import { Checkbox } from "@/components/ui/checkbox";
import { Input, Select } from "@/components/ui/input";
import { PageHeader } from "@/components/ui/page-header";
import { Pagination } from "@/components/ui/pagination";
import { Skeleton, Spinner } from "@/components/ui/spinner";
import { useMe, useWorkspaceHref } from "@/components/workspace/workspace-context";
import { useTRPC } from "@/trpc/client";
import { ExecutionStats } from "./execution-stats";
import { ExecutionsTable } from "./executions-table";
import { isActive } from "./format";
import {
  executionExportSearch,
  executionListInput,
  executionListSearch,
  filterParams,
  NO_FILTERS,
  parseExecutionFilters,
  type ExecutionFilters,
} from "./list-params";
import { REVIEW_LABELS } from "./review";

/** Prompts offered in the filter (the API's largest page). */
export const PROMPT_FILTER_INPUT = { pageSize: 100 } as const;

/**
 * Executions: stats, filters (status, prompt, starred, review status, dates; in the URL), the list
 * (live while some run), pagination, and "Export CSV" of everything the filters select.
 */
export function ExecutionList() {
  const trpc = useTRPC();
  const href = useWorkspaceHref();
  const me = useMe();
  const canRun = me.user.role !== "viewer";
  const searchParams = useSearchParams();
  const filters = parseExecutionFilters(filterParams((name) => searchParams.get(name)));
  const filtered = executionExportSearch(filters) !== "";

  const list = useQuery({
    ...trpc.executions.list.queryOptions(executionListInput(filters), {
      refetchInterval: (query) => (query.state.data?.data.some((row) => isActive(row.status)) ? 2_000 : false),
    }),
    placeholderData: keepPreviousData,
  });
  const prompts = useQuery(trpc.prompts.list.queryOptions(PROMPT_FILTER_INPUT));
  const promptOptions = prompts.data?.data ?? [];
  // A filtered prompt beyond the first 100 still gets its name in the select.
  const filteredPrompt = useQuery(
    trpc.prompts.get.queryOptions(
      filters.promptId && prompts.data && !promptOptions.some((p) => p.id === filters.promptId) ? { id: filters.promptId } : skipToken,
    ),
  );

  const setFilters = (next: Partial<ExecutionFilters>) => {
    const merged = { ...filters, page: 1, ...next };
    window.history.pushState(null, "", `${window.location.pathname}${executionListSearch(merged)}`);
  };

  const data = list.data;
  const updating = list.isFetching && list.isPlaceholderData;

  return (
    <>
      <PageHeader
        title="Executions"
        description="Runs of your prompts and deployments, with their status, results and timings."
        actions={
          <>
            {/* A plain download: the API streams the CSV (packages/api/src/http/executions-export.ts). */}
            <a href={`${href("/api/v1/executions/export.csv")}${executionExportSearch(filters)}`} download className={buttonClasses({ variant: "secondary" })}>
              Export CSV
            </a>
            {canRun ? (
              <Link href={href("/executions/new")} className={buttonClasses()}>
                Start execution
              </Link>
            ) : null}
          </>
        }
      />

      <ExecutionStats />

      <div className="mb-4 flex flex-wrap items-end gap-3">
        <Field label="Status" className="w-44">
          {(props) => (
            <Select
              {...props}
              value={filters.status ?? ""}
              onChange={(event) => setFilters({ status: EXECUTION_STATUSES.find((status) => status === event.target.value) ?? null })}
            >
              <option value="">All statuses</option>
              {EXECUTION_STATUSES.map((status) => (
                <option key={status} value={status}>
                  {status}
                </option>
              ))}
            </Select>
          )}
        </Field>
        <Field label="Prompt" className="w-64">
          {(props) => (
            <Select {...props} value={filters.promptId ?? ""} onChange={(event) => setFilters({ promptId: event.target.value || null })}>
              <option value="">All prompts</option>
              {filteredPrompt.data ? <option value={filteredPrompt.data.id}>{filteredPrompt.data.name}</option> : null}
              {promptOptions.map((prompt) => (
                <option key={prompt.id} value={prompt.id}>
                  {prompt.name}
                </option>
              ))}
            </Select>
          )}
        </Field>
        <Field label="Review" className="w-40">
          {(props) => (
            <Select
              {...props}
              value={filters.reviewStatus ?? ""}
              onChange={(event) => setFilters({ reviewStatus: REVIEW_STATUSES.find((status) => status === event.target.value) ?? null })}
            >
              <option value="">Any review</option>
              {REVIEW_STATUSES.map((status) => (
                <option key={status} value={status}>
                  {REVIEW_LABELS[status]}
                </option>
              ))}
            </Select>
          )}
        </Field>
        <Field label="From" className="w-40">
          {(props) => <Input {...props} type="date" value={filters.from ?? ""} onChange={(event) => setFilters({ from: event.target.value || null })} />}
        </Field>
        <Field label="To" className="w-40">
          {(props) => <Input {...props} type="date" value={filters.to ?? ""} onChange={(event) => setFilters({ to: event.target.value || null })} />}
        </Field>
        <div className="pb-2.5">
          <Checkbox name="starred" label="Starred only" checked={filters.starred} onChange={(event) => setFilters({ starred: event.target.checked })} />
        </div>
        {filtered ? (
          <Button variant="ghost" onClick={() => setFilters(NO_FILTERS)}>
            Clear filters
          </Button>
        ) : null}
        <div className="ml-auto flex items-center gap-2 pb-2 text-sm text-gray-600" aria-live="polite">
          {updating ? <Spinner label="Loading" /> : null}
          {data ? (data.total === 1 ? "1 execution" : `${data.total.toLocaleString("en")} executions`) : null}
        </div>
      </div>

      <ErrorAlert error={list.error} title="Could not load the executions" className="mb-4" />

      {data === undefined ? (
        list.isPending ? (
          <div role="status" className="space-y-2">
            <span className="sr-only">Loading executions…</span>
            {Array.from({ length: 5 }, (_, index) => (
              <Skeleton key={index} className="h-12 w-full" />
            ))}
          </div>
        ) : null
      ) : data.data.length === 0 ? (
        filtered ? (
          <EmptyState
            title="No executions match these filters"
            description="Try other filters."
            action={
              <Button variant="secondary" onClick={() => setFilters(NO_FILTERS)}>
                Clear filters
              </Button>
            }
          />
        ) : data.total > 0 ? (
          <EmptyState
            title="This page is empty"
            action={
              <Link href={href("/executions")} className={buttonClasses({ variant: "secondary" })}>
                Go to the first page
              </Link>
            }
          />
        ) : (
          <EmptyState
            title="No executions yet"
            description="Run a prompt from its page, or start an execution of a prompt or a deployment here."
            action={
              canRun ? (
                <Link href={href("/executions/new")} className={buttonClasses({ variant: "secondary" })}>
                  Start your first execution
                </Link>
              ) : null
            }
          />
        )
      ) : (
        <div className={updating ? "opacity-60 transition-opacity" : "transition-opacity"}>
          <ExecutionsTable rows={data.data} caption={filtered ? "Executions matching the filters" : "Executions, newest first"} />
          <Pagination
            page={data.page}
            totalPages={data.totalPages}
            total={data.total}
            noun={data.total === 1 ? "execution" : "executions"}
            hrefFor={(page) => `${href("/executions")}${executionListSearch({ ...filters, page })}`}
          />
        </div>
      )}
    </>
  );
}
