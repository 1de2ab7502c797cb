"use client";

import { listAuditInput } from "@sigil/validators";
import { useSuspenseQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, useTransition, type FormEvent } from "react";
import { useWorkspaceHref } from "@/components/workspace/workspace-context";
import { compactJson } from "@/components/deployments/json";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { Button, buttonClasses } from "@/components/ui/button";
import { DateTime } from "@/components/ui/date-time";
import { EmptyState } from "@/components/ui/empty-state";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { PageHeader } from "@/components/ui/page-header";
import { Pagination } from "@/components/ui/pagination";
import { Table, TableBody, TableCaption, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { cn } from "@/lib/cn";
import { useTRPC } from "@/trpc/client";
import type { RouterOutputs } from "@/trpc/types";
import { AUDIT_PAGE_SIZE, AUDIT_PREFIXES } from "./constants";

type Entry = RouterOutputs["audit"]["list"]["data"][number];

const ACTOR_TONES: Record<Entry["actorType"], BadgeTone> = { user: "neutral", api_key: "brand", system_admin: "warning", system: "neutral" };
const ACTOR_LABELS: Record<Entry["actorType"], string> = { user: "user", api_key: "API key", system_admin: "Sigil admin", system: "system" };

/** `?action=…&page=…` of the audit page, built with the workspace's href helper. */
function auditHref(href: (path: string) => string, action: string | undefined, page = 1): string {
  const params = new URLSearchParams();
  if (action) params.set("action", action);
  if (page > 1) params.set("page", String(page));
  const query = params.toString();
  return href(query ? `/audit?${query}` : "/audit");
}

/**
 * The audit log (admins only): newest first, filtered by an action prefix, paginated. The filter
 * and page live in the URL so a filtered view can be shared and the back button works.
 */
export function AuditView({ page, action, actionError }: { page: number; action: string | undefined; actionError: string | null }) {
  const href = useWorkspaceHref();
  const router = useRouter();
  const [navigating, startTransition] = useTransition();
  const [text, setText] = useState(action ?? "");
  const [error, setError] = useState<string | null>(actionError);

  const go = (next: string | undefined) => startTransition(() => router.push(auditHref(href, next)));
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const value = text.trim();
    const parsed = listAuditInput.shape.action.safeParse(value === "" ? undefined : value);
    if (!parsed.success) {
      setError(parsed.error.issues[0]?.message ?? "Not a valid action prefix.");
      return;
    }
    setError(null);
    go(parsed.data);
  };

  return (
    <>
      <PageHeader title="Audit log" description="Who did what in this workspace, newest first." />
      <form onSubmit={onSubmit} role="search" aria-label="Filter the audit log" className="mb-5 flex flex-wrap items-end gap-3">
        <Field label="Action prefix" error={error} hint="e.g. prompt. or user.role_changed" className="w-full max-w-xs">
          {(props) => (
            <Input
              {...props}
              name="action"
              autoComplete="off"
              spellCheck={false}
              value={text}
              placeholder="All actions"
              onChange={(event) => {
                setText(event.target.value);
                setError(null);
              }}
              className="font-mono"
            />
          )}
        </Field>
        <div className="flex gap-2 pb-5">
          <Button type="submit" variant="secondary" loading={navigating}>
            Filter
          </Button>
          {action ? (
            <Button
              variant="ghost"
              onClick={() => {
                setText("");
                setError(null);
                go(undefined);
              }}
            >
              Clear
            </Button>
          ) : null}
        </div>
        <ul className="flex basis-full flex-wrap gap-1.5" aria-label="Quick filters">
          {AUDIT_PREFIXES.map((prefix) => (
            <li key={prefix}>
              <Link
                href={auditHref(href, prefix)}
                onClick={() => setText(prefix)}
                aria-current={action === prefix ? "true" : undefined}
                className={cn(
                  "inline-flex rounded-full border px-2.5 py-0.5 font-mono text-xs transition-colors focus-visible:outline-2 focus-visible:outline-brand-600",
                  action === prefix ? "border-brand-600 bg-brand-50 text-brand-700" : "border-gray-300 bg-white text-gray-700 hover:bg-gray-50",
                )}
              >
                {prefix}
              </Link>
            </li>
          ))}
        </ul>
      </form>
      {actionError ? null : <AuditTable page={page} action={action} />}
    </>
  );
}

function AuditTable({ page, action }: { page: number; action: string | undefined }) {
  const trpc = useTRPC();
  const href = useWorkspaceHref();
  const { data: entries } = useSuspenseQuery(trpc.audit.list.queryOptions({ page, pageSize: AUDIT_PAGE_SIZE, action }));
  const { data: users } = useSuspenseQuery(trpc.users.list.queryOptions({}));
  const names = new Map(users.map((user) => [user.id, user.name]));

  if (entries.total === 0) {
    return (
      <EmptyState
        title={action ? `No actions start with “${action}”` : "Nothing recorded yet"}
        description={action ? "Try a shorter prefix, or clear the filter." : "Sign-ins, changes to prompts, users, keys and settings appear here."}
        action={
          action ? (
            <Link href={auditHref(href, undefined)} className={buttonClasses({ variant: "secondary" })}>
              Show all actions
            </Link>
          ) : undefined
        }
      />
    );
  }
  if (entries.data.length === 0) {
    return (
      <EmptyState
        title="This page is empty"
        description={`There are ${entries.total} entries on ${entries.totalPages} pages.`}
        action={
          <Link href={auditHref(href, action)} className={buttonClasses({ variant: "secondary" })}>
            Go to the first page
          </Link>
        }
      />
    );
  }

  return (
    <>
      <Table>
        <TableCaption className="sr-only">Audit log{action ? `, actions starting with ${action}` : ""}, newest first</TableCaption>
        <TableHeader>
          <TableRow>
            <TableHead>Time</TableHead>
            <TableHead>Actor</TableHead>
            <TableHead>Action</TableHead>
            <TableHead>Target</TableHead>
            <TableHead>Details</TableHead>
          </TableRow>
        </TableHeader>
        <TableBody>
          {entries.data.map((entry) => {
            const hasDetails = Object.keys(entry.details).length > 0;
            return (
              <TableRow key={entry.id} className="align-top">
                <TableCell className="whitespace-nowrap text-gray-700">
                  <DateTime value={entry.createdAt} format="seconds" />
                  {entry.ip ? <p className="font-mono text-xs text-gray-500">{entry.ip}</p> : null}
                </TableCell>
                <TableCell>
                  <Badge tone={ACTOR_TONES[entry.actorType]}>{ACTOR_LABELS[entry.actorType]}</Badge>
                  {entry.actorId ? (
                    <p className="mt-1 text-xs whitespace-nowrap text-gray-600">
                      {names.get(entry.actorId) ? <span className="mr-1 text-gray-800">{names.get(entry.actorId)}</span> : null}
                      <span className="font-mono text-gray-500" title={entry.actorId}>
                        {entry.actorId.slice(0, 8)}
                      </span>
                    </p>
                  ) : null}
                </TableCell>
                <TableCell>
                  <code className="font-mono text-xs font-medium text-gray-900">{entry.action}</code>
                </TableCell>
                <TableCell className="text-xs whitespace-nowrap">
                  {entry.targetType ? (
                    <>
                      <span className="text-gray-700">{entry.targetType}</span>
                      {entry.targetId ? (
                        <span className="ml-1 font-mono text-gray-500" title={entry.targetId}>
                          {entry.targetId.slice(0, 8)}
                        </span>
                      ) : null}
                    </>
                  ) : (
                    <span className="text-gray-500">—</span>
                  )}
                </TableCell>
                <TableCell className="max-w-md">
                  {hasDetails ? (
                    <code className="block font-mono text-xs text-gray-600 [overflow-wrap:anywhere]" title={JSON.stringify(entry.details, null, 2)}>
                      {compactJson(entry.details, 160)}
                    </code>
                  ) : (
                    <span className="text-gray-500">—</span>
                  )}
                </TableCell>
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
      <Pagination page={page} totalPages={entries.totalPages} total={entries.total} noun="entries" hrefFor={(target) => auditHref(href, action, target)} />
    </>
  );
}
