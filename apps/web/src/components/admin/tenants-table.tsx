"use client";

import { TENANT_PLANS, TENANT_STATUSES, type ListTenantsInput } from "@sigil/validators";
import { useSuspenseQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useEffect, useState, useTransition } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { Input, Label, Select } from "@/components/ui/input";
import { PageHeader } from "@/components/ui/page-header";
import { Pagination } from "@/components/ui/pagination";
import { Table, TableBody, TableCaption, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { cn } from "@/lib/cn";
import { useTRPC } from "@/trpc/client";
import { PlanBadge, planLabel, SchemaBadge, TenantStatusBadge } from "./badges";
import { CreateTenantDialog } from "./create-tenant-dialog";
import { formatBytes, formatMegabytes, formatNumber } from "./format";
import { tenantsHref } from "./tenants-query";
import { RelativeTime } from "@/components/ui/relative-time";

type SortKey = ListTenantsInput["sort"];
type Direction = ListTenantsInput["direction"];

/** How long typing must pause before the search goes to the server. */
const SEARCH_DEBOUNCE_MS = 300;

const COLUMNS: { key: SortKey; label: string; numeric?: boolean; firstDirection?: Direction }[] = [
  { key: "name", label: "Name" },
  { key: "slug", label: "Slug" },
  { key: "status", label: "Status" },
  { key: "plan", label: "Plan" },
  { key: "users", label: "Users", numeric: true, firstDirection: "desc" },
  { key: "storage", label: "Storage", numeric: true, firstDirection: "desc" },
  { key: "executions", label: "Executions this month", numeric: true, firstDirection: "desc" },
  { key: "prompts", label: "Prompts", numeric: true, firstDirection: "desc" },
  { key: "database", label: "DB file size", numeric: true, firstDirection: "desc" },
  { key: "schema", label: "Schema" },
  { key: "lastActivity", label: "Last activity", firstDirection: "desc" },
];

const ARIA_SORT = { asc: "ascending", desc: "descending" } as const;

function SortHeader({ column, query, onSort }: { column: (typeof COLUMNS)[number]; query: ListTenantsInput; onSort: (key: SortKey) => void }) {
  const active = query.sort === column.key;
  return (
    <TableHead aria-sort={active ? ARIA_SORT[query.direction] : "none"} className={cn("p-0 align-bottom", column.numeric && "text-right")}>
      <button
        type="button"
        onClick={() => onSort(column.key)}
        className={cn(
          "inline-flex w-full items-end gap-1 px-3 py-2.5 text-left text-xs font-semibold tracking-wide uppercase hover:text-gray-900 focus-visible:outline-2 focus-visible:-outline-offset-2 focus-visible:outline-brand-600",
          column.numeric && "justify-end text-right",
          active ? "text-gray-900" : "text-gray-600",
        )}
      >
        {column.label}
        <svg viewBox="0 0 20 20" fill="currentColor" className={cn("size-3.5 shrink-0", active ? "text-brand-600" : "text-gray-300")} aria-hidden="true">
          {active && query.direction === "asc" ? (
            <path d="M10 5l5 6H5l5-6Z" />
          ) : active ? (
            <path d="M10 15l-5-6h10l-5 6Z" />
          ) : (
            <path d="M10 3l4 5H6l4-5Zm0 14l-4-5h8l-4 5Z" />
          )}
        </svg>
        <span className="sr-only">{active ? `, sorted ${ARIA_SORT[query.direction]}` : ", sort"}</span>
      </button>
    </TableHead>
  );
}

/** The use over its limit, stacked to keep the table narrow. */
function Usage({ value, limit }: { value: string; limit: string }) {
  return (
    <span className="block whitespace-nowrap tabular-nums">
      {value}
      <span className="block text-xs text-gray-500">of {limit}</span>
    </span>
  );
}

function capitalized(value: string): string {
  return `${value[0]?.toUpperCase() ?? ""}${value.slice(1)}`;
}

/**
 * One page of tenants with their usage, from the control plane: search (debounced), status and
 * plan filters, sorting by any column and paging all happen on the server and live in the URL.
 */
export function TenantsTable({ query, workspaceUrlPattern }: { query: ListTenantsInput; workspaceUrlPattern: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const { data } = useSuspenseQuery(trpc.tenants.list.queryOptions(query));
  const [searchText, setSearchText] = useState(query.search ?? "");
  const [creating, setCreating] = useState(false);
  const [navigating, startNavigation] = useTransition();

  const navigate = (patch: Partial<ListTenantsInput>, mode: "push" | "replace" = "push") => {
    // Any change but the page itself starts again at page 1.
    const next = { ...query, page: 1, ...patch };
    startNavigation(() => (mode === "push" ? router.push(tenantsHref(next)) : router.replace(tenantsHref(next))));
  };

  // The search goes to the URL once typing pauses; replace, so Back does not step through every letter.
  useEffect(() => {
    const wanted = searchText.trim();
    if (wanted === (query.search ?? "")) return;
    const timer = setTimeout(() => {
      const next = { ...query, page: 1, search: wanted === "" ? undefined : wanted };
      startNavigation(() => router.replace(tenantsHref(next)));
    }, SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [searchText, query, router]);

  const onSort = (key: SortKey) =>
    navigate(
      query.sort === key
        ? { sort: key, direction: query.direction === "asc" ? "desc" : "asc" }
        : { sort: key, direction: COLUMNS.find((column) => column.key === key)?.firstDirection ?? "asc" },
    );
  const filtered = query.search !== undefined || query.status !== undefined || query.plan !== undefined;
  const noun = data.total === 1 ? "tenant" : "tenants";

  return (
    <>
      <PageHeader
        title="Tenants"
        description="Every workspace with its plan, status, usage and schema version."
        // While the dialog is open the page behind it is inert; hidden from the accessibility tree
        // too, so "Create tenant" names one button only: the dialog's submit.
        actions={
          <Button onClick={() => setCreating(true)} aria-hidden={creating || undefined}>
            Create tenant
          </Button>
        }
      />
      <CreateTenantDialog open={creating} onClose={() => setCreating(false)} workspaceUrlPattern={workspaceUrlPattern} />

      {data.total === 0 && !filtered ? (
        <EmptyState title="No tenants yet" description="Create the first workspace and its owner with “Create tenant” above." />
      ) : (
        <div className="space-y-4" aria-busy={navigating || undefined}>
          <div role="search" className="flex flex-wrap items-end gap-3" aria-label="Filter tenants">
            <div className="w-full max-w-xs space-y-1.5">
              <Label htmlFor="tenant-search">Search</Label>
              <Input
                id="tenant-search"
                type="search"
                placeholder="Name, slug or domain"
                maxLength={100}
                value={searchText}
                onChange={(event) => setSearchText(event.target.value)}
              />
            </div>
            <div className="w-40 space-y-1.5">
              <Label htmlFor="tenant-status">Status</Label>
              <Select
                id="tenant-status"
                value={query.status ?? "all"}
                onChange={(event) => {
                  const value = TENANT_STATUSES.find((status) => status === event.target.value);
                  navigate({ status: value });
                }}
              >
                <option value="all">All statuses</option>
                {TENANT_STATUSES.map((value) => (
                  <option key={value} value={value}>
                    {capitalized(value)}
                  </option>
                ))}
              </Select>
            </div>
            <div className="w-40 space-y-1.5">
              <Label htmlFor="tenant-plan">Plan</Label>
              <Select
                id="tenant-plan"
                value={query.plan ?? "all"}
                onChange={(event) => {
                  const value = TENANT_PLANS.find((plan) => plan === event.target.value);
                  navigate({ plan: value });
                }}
              >
                <option value="all">All plans</option>
                {TENANT_PLANS.map((value) => (
                  <option key={value} value={value}>
                    {planLabel(value)}
                  </option>
                ))}
              </Select>
            </div>
            <p className="pb-2.5 text-sm text-gray-600" aria-live="polite" data-testid="tenant-total">
              {filtered ? `${formatNumber(data.total)} matching ${noun}` : `${formatNumber(data.total)} ${noun}`}
            </p>
            {filtered ? (
              <Button
                variant="ghost"
                size="sm"
                className="mb-1"
                onClick={() => {
                  setSearchText("");
                  navigate({ search: undefined, status: undefined, plan: undefined });
                }}
              >
                Clear filters
              </Button>
            ) : null}
          </div>

          {data.tenants.length === 0 ? (
            <EmptyState title="No tenants match" description="Try another search, status or plan." />
          ) : (
            <Table className={cn(navigating && "opacity-60 transition-opacity")}>
              <TableCaption className="sr-only">
                Tenants, sorted by {COLUMNS.find((c) => c.key === query.sort)?.label ?? query.sort} ({ARIA_SORT[query.direction]}). Select a column header to
                sort.
              </TableCaption>
              <TableHeader>
                <tr>
                  {COLUMNS.map((column) => (
                    <SortHeader key={column.key} column={column} query={query} onSort={onSort} />
                  ))}
                </tr>
              </TableHeader>
              <TableBody>
                {data.tenants.map((tenant) => (
                  <TableRow key={tenant.id}>
                    <TableCell className="max-w-52 px-3">
                      <Link href={`/tenants/${tenant.id}`} className="font-medium text-brand-700 hover:text-brand-900 hover:underline">
                        {tenant.name}
                      </Link>
                      {tenant.settings.domain ? <p className="truncate text-xs text-gray-500">{tenant.settings.domain}</p> : null}
                      {tenant.usage.unavailable ? (
                        <p className="mt-0.5 text-xs text-amber-700" title={tenant.usage.unavailable}>
                          Usage may be out of date
                        </p>
                      ) : null}
                    </TableCell>
                    <TableCell className="px-3 font-mono text-xs">{tenant.slug}</TableCell>
                    <TableCell className="px-3">
                      <TenantStatusBadge status={tenant.status} />
                    </TableCell>
                    <TableCell className="px-3">
                      <PlanBadge plan={tenant.plan} />
                    </TableCell>
                    <TableCell className="px-3 text-right">
                      <Usage value={formatNumber(tenant.usage.users)} limit={formatNumber(tenant.settings.limits.users)} />
                    </TableCell>
                    <TableCell className="px-3 text-right">
                      <Usage value={formatBytes(tenant.usage.storageBytes)} limit={formatMegabytes(tenant.settings.limits.storage)} />
                    </TableCell>
                    <TableCell className="px-3 text-right">
                      <Usage value={formatNumber(tenant.usage.executionsThisMonth)} limit={formatNumber(tenant.settings.limits.executions_per_month)} />
                    </TableCell>
                    <TableCell className="px-3 text-right tabular-nums">{formatNumber(tenant.usage.promptCount)}</TableCell>
                    <TableCell className="px-3 text-right whitespace-nowrap tabular-nums">{formatBytes(tenant.usage.databaseBytes)}</TableCell>
                    <TableCell className="px-3">
                      <SchemaBadge {...tenant.usage.schema} stacked />
                    </TableCell>
                    <TableCell className="px-3 text-gray-600">
                      {tenant.usage.lastActivityAt ? <RelativeTime value={tenant.usage.lastActivityAt} /> : <Badge>none yet</Badge>}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
          <Pagination page={data.page} totalPages={data.totalPages} total={data.total} noun={noun} hrefFor={(page) => tenantsHref({ ...query, page })} />
        </div>
      )}
    </>
  );
}
