"use client";

import { TENANT_STATUSES } from "@sigil/validators";
import { useSuspenseQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useMemo, useState } from "react";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { Input, Label, Select } from "@/components/ui/input";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TableBody, TableCaption, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { cn } from "@/lib/cn";
import { useTRPC } from "@/trpc/client";
import type { RouterOutputs } from "@/trpc/types";
import { PlanBadge, SchemaBadge, TenantStatusBadge, type TenantStatus } from "./badges";
import { CreateTenantDialog } from "./create-tenant-dialog";
import { formatBytes, formatMegabytes, formatNumber } from "./format";
import { RelativeTime } from "@/components/ui/relative-time";

type Tenant = RouterOutputs["tenants"]["list"][number];
type SortKey = "name" | "slug" | "status" | "plan" | "users" | "storage" | "executions" | "database" | "schema" | "lastActivity";
type Direction = "ascending" | "descending";

const PLAN_ORDER = { free: 0, pro: 1, enterprise: 2 } as const;
const SCHEMA_ORDER = { up_to_date: 0, behind: 1, unreadable: 2, missing: 3 } as const;

/** The value a column sorts by; null (not available) always sorts last. */
function sortValue(tenant: Tenant, key: SortKey): string | number | null {
  switch (key) {
    case "name":
      return tenant.name.toLowerCase();
    case "slug":
      return tenant.slug;
    case "status":
      return tenant.status;
    case "plan":
      return PLAN_ORDER[tenant.plan];
    case "users":
      return tenant.usage.users;
    case "storage":
      return tenant.usage.storageBytes;
    case "executions":
      return tenant.usage.executionsThisMonth;
    case "database":
      return tenant.usage.databaseBytes;
    case "schema":
      return SCHEMA_ORDER[tenant.usage.schema.state] * 10_000 - (tenant.usage.schema.version ?? -1);
    case "lastActivity":
      return tenant.usage.lastActivityAt?.getTime() ?? null;
  }
}

function compare(a: Tenant, b: Tenant, key: SortKey, direction: Direction): number {
  const left = sortValue(a, key);
  const right = sortValue(b, key);
  if (left === null || right === null) return left === right ? a.name.localeCompare(b.name) : left === null ? 1 : -1;
  const order = typeof left === "number" && typeof right === "number" ? left - right : String(left).localeCompare(String(right));
  const result = direction === "ascending" ? order : -order;
  return result !== 0 ? result : a.name.localeCompare(b.name);
}

const COLUMNS: { key: SortKey; label: string; numeric?: boolean; firstDirection?: Direction }[] = [
  { key: "name", label: "Name" },
  { key: "slug", label: "Slug" },
  { key: "status", label: "Status" },
  { key: "plan", label: "Plan" },
  { key: "users", label: "Users", numeric: true, firstDirection: "descending" },
  { key: "storage", label: "Storage", numeric: true, firstDirection: "descending" },
  { key: "executions", label: "Executions this month", numeric: true, firstDirection: "descending" },
  { key: "database", label: "DB file size", numeric: true, firstDirection: "descending" },
  { key: "schema", label: "Schema", firstDirection: "descending" },
  { key: "lastActivity", label: "Last activity", firstDirection: "descending" },
];

function SortHeader({
  column,
  sort,
  onSort,
}: {
  column: (typeof COLUMNS)[number];
  sort: { key: SortKey; direction: Direction };
  onSort: (key: SortKey) => void;
}) {
  const active = sort.key === column.key;
  return (
    <TableHead aria-sort={active ? sort.direction : "none"} className={cn("p-0 align-bottom", column.numeric && "text-right")}>
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
          {active && sort.direction === "ascending" ? (
            <path d="M10 5l5 6H5l5-6Z" />
          ) : active ? (
            <path d="M10 15l-5-6h10l-5 6Z" />
          ) : (
            <path d="M10 3l4 5H6l4-5Zm0 14l-4-5h8l-4 5Z" />
          )}
        </svg>
        <span className="sr-only">{active ? `, sorted ${sort.direction}` : ", sort"}</span>
      </button>
    </TableHead>
  );
}

function Unavailable({ reason }: { reason: string | null }) {
  return (
    <span title={reason ?? undefined} className="text-gray-400">
      —<span className="sr-only">not available{reason ? `: ${reason}` : ""}</span>
    </span>
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

/** Every tenant with its usage: sortable by any column, filtered by text and status. */
export function TenantsTable({ workspaceUrlPattern }: { workspaceUrlPattern: string }) {
  const trpc = useTRPC();
  const { data: tenants } = useSuspenseQuery(trpc.tenants.list.queryOptions());
  const [query, setQuery] = useState("");
  const [status, setStatus] = useState<TenantStatus | "all">("all");
  const [sort, setSort] = useState<{ key: SortKey; direction: Direction }>({ key: "name", direction: "ascending" });
  const [creating, setCreating] = useState(false);

  const visible = useMemo(() => {
    const needle = query.trim().toLowerCase();
    return tenants
      .filter((tenant) => status === "all" || tenant.status === status)
      .filter(
        (tenant) => needle === "" || [tenant.name, tenant.slug, tenant.settings.domain ?? "", tenant.plan].some((text) => text.toLowerCase().includes(needle)),
      )
      .sort((a, b) => compare(a, b, sort.key, sort.direction));
  }, [tenants, query, status, sort]);

  const onSort = (key: SortKey) =>
    setSort((current) =>
      current.key === key
        ? { key, direction: current.direction === "ascending" ? "descending" : "ascending" }
        : { key, direction: COLUMNS.find((column) => column.key === key)?.firstDirection ?? "ascending" },
    );
  const filtered = query.trim() !== "" || status !== "all";

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

      {tenants.length === 0 ? (
        <EmptyState title="No tenants yet" description="Create the first workspace and its owner with “Create tenant” above." />
      ) : (
        <div className="space-y-4">
          <div role="search" className="flex flex-wrap items-end gap-3" aria-label="Filter tenants">
            <div className="w-full max-w-xs space-y-1.5">
              <Label htmlFor="tenant-search">Search</Label>
              <Input
                id="tenant-search"
                type="search"
                placeholder="Name, slug, domain or plan"
                value={query}
                onChange={(event) => setQuery(event.target.value)}
              />
            </div>
            <div className="w-44 space-y-1.5">
              <Label htmlFor="tenant-status">Status</Label>
              <Select id="tenant-status" value={status} onChange={(event) => setStatus(event.target.value as TenantStatus | "all")}>
                <option value="all">All statuses</option>
                {TENANT_STATUSES.map((value) => (
                  <option key={value} value={value}>
                    {value[0]?.toUpperCase()}
                    {value.slice(1)}
                  </option>
                ))}
              </Select>
            </div>
            <p className="pb-2.5 text-sm text-gray-600" aria-live="polite">
              {filtered ? `${visible.length} of ${tenants.length} tenants` : `${tenants.length} ${tenants.length === 1 ? "tenant" : "tenants"}`}
            </p>
            {filtered ? (
              <Button
                variant="ghost"
                size="sm"
                className="mb-1"
                onClick={() => {
                  setQuery("");
                  setStatus("all");
                }}
              >
                Clear filters
              </Button>
            ) : null}
          </div>

          {visible.length === 0 ? (
            <EmptyState title="No tenants match" description="Try another search or status." />
          ) : (
            <Table>
              <TableCaption className="sr-only">
                Tenants, sorted by {COLUMNS.find((c) => c.key === sort.key)?.label ?? sort.key} ({sort.direction}). Select a column header to sort.
              </TableCaption>
              <TableHeader>
                <tr>
                  {COLUMNS.map((column) => (
                    <SortHeader key={column.key} column={column} sort={sort} onSort={onSort} />
                  ))}
                </tr>
              </TableHeader>
              <TableBody>
                {visible.map((tenant) => (
                  <TableRow key={tenant.id}>
                    <TableCell className="max-w-52 px-3">
                      <Link href={`/tenants/${tenant.id}`} className="font-medium text-gray-900 hover:text-brand-700 hover:underline">
                        {tenant.name}
                      </Link>
                      {tenant.settings.domain ? <p className="truncate text-xs text-gray-500">{tenant.settings.domain}</p> : null}
                      {tenant.usage.unavailable ? (
                        <p className="mt-0.5 text-xs text-red-700" title={tenant.usage.unavailable}>
                          Usage unavailable
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
                      {tenant.usage.storageBytes === null ? (
                        <Unavailable reason={tenant.usage.unavailable} />
                      ) : (
                        <Usage value={formatBytes(tenant.usage.storageBytes)} limit={formatMegabytes(tenant.settings.limits.storage)} />
                      )}
                    </TableCell>
                    <TableCell className="px-3 text-right">
                      {tenant.usage.executionsThisMonth === null ? (
                        <Unavailable reason={tenant.usage.unavailable} />
                      ) : (
                        <Usage value={formatNumber(tenant.usage.executionsThisMonth)} limit={formatNumber(tenant.settings.limits.executions_per_month)} />
                      )}
                    </TableCell>
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
        </div>
      )}
    </>
  );
}
