"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useSearchParams } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { ErrorAlert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button, buttonClasses } from "@/components/ui/button";
import { EmptyState } from "@/components/ui/empty-state";
import { Input, Label } from "@/components/ui/input";
import { PageHeader } from "@/components/ui/page-header";
import { Pagination } from "@/components/ui/pagination";
import { RelativeTime } from "@/components/ui/relative-time";
import { Skeleton, Spinner } from "@/components/ui/spinner";
import { Table, TableBody, TableCaption, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { useMe, useWorkspaceHref } from "@/components/workspace/workspace-context";
import { useTRPC } from "@/trpc/client";
import { parseQuery, promptListInput, promptListSearch } from "./list-params";
import { useDebouncedValue } from "./use-debounced-value";

/** The prompt list: search (debounced, `?q=`), pagination (`?page=`), loading and empty states. */
export function PromptList() {
  const trpc = useTRPC();
  const href = useWorkspaceHref();
  const me = useMe();
  const canWrite = me.user.role !== "viewer";
  const searchParams = useSearchParams();
  const urlQuery = parseQuery(searchParams.get("q"));
  const input = promptListInput({ q: searchParams.get("q"), page: searchParams.get("page") });

  // What the user types; the URL (and so the query) follows once typing pauses.
  const [term, setTerm] = useState(urlQuery);
  const [seenUrlQuery, setSeenUrlQuery] = useState(urlQuery);
  if (seenUrlQuery !== urlQuery) {
    // Back / forward changed the URL: show its search in the box.
    setSeenUrlQuery(urlQuery);
    setTerm(urlQuery);
  }
  const debounced = useDebouncedValue(term, 300);
  useEffect(() => {
    // Only once typing has settled (after back / forward, `term` is ahead of `debounced`).
    if (debounced !== term || debounced.trim() === urlQuery) return;
    // The native History API keeps Next's router in sync without a server round trip.
    window.history.replaceState(null, "", `${window.location.pathname}${promptListSearch(debounced, 1)}`);
  }, [debounced, term, urlQuery]);

  // Text typed before hydration (a fast typist, a slow network) is in the box but not in state.
  const searchBox = useRef<HTMLInputElement>(null);
  useEffect(() => {
    const typed = searchBox.current?.value.trim() ?? "";
    if (typed !== urlQuery) window.history.replaceState(null, "", `${window.location.pathname}${promptListSearch(typed, 1)}`);
    // Once, right after hydration.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const list = useQuery({ ...trpc.prompts.list.queryOptions(input), placeholderData: keepPreviousData });
  const data = list.data;
  const searching = term.trim() !== urlQuery || (list.isFetching && list.isPlaceholderData);
  const newPrompt = canWrite ? (
    <Link href={href("/prompts/new")} className={buttonClasses()}>
      New prompt
    </Link>
  ) : null;

  return (
    <>
      <PageHeader title="Prompts" description="Templates with variables. Every change is a version you can compare and restore." actions={newPrompt} />

      <div role="search" className="mb-4 flex items-center gap-3">
        <div className="relative w-full max-w-md">
          <Label htmlFor="prompt-search" className="sr-only">
            Search prompts
          </Label>
          <svg
            viewBox="0 0 20 20"
            fill="currentColor"
            aria-hidden="true"
            className="pointer-events-none absolute top-1/2 left-3 size-4 -translate-y-1/2 text-gray-400"
          >
            <path
              fillRule="evenodd"
              d="M9 3.5a5.5 5.5 0 1 0 0 11 5.5 5.5 0 0 0 0-11ZM2 9a7 7 0 1 1 12.45 4.39l3.58 3.58a.75.75 0 1 1-1.06 1.06l-3.58-3.58A7 7 0 0 1 2 9Z"
              clipRule="evenodd"
            />
          </svg>
          <Input
            id="prompt-search"
            ref={searchBox}
            type="search"
            value={term}
            onChange={(event) => setTerm(event.target.value)}
            placeholder="Search by name or description"
            maxLength={200}
            autoComplete="off"
            className="pl-9"
          />
        </div>
        {searching ? <Spinner label="Searching" className="text-gray-500" /> : null}
        {data && !searching ? (
          <p className="text-sm whitespace-nowrap text-gray-600 tabular-nums" aria-live="polite">
            {data.total === 1 ? "1 prompt" : `${data.total} prompts`}
            {urlQuery !== "" ? ` match “${urlQuery}”` : ""}
          </p>
        ) : null}
      </div>

      <ErrorAlert error={list.error} title="Could not load the prompts" className="mb-4" />

      {data === undefined ? (
        list.isPending ? (
          <ListSkeleton />
        ) : null
      ) : data.data.length === 0 ? (
        urlQuery !== "" ? (
          <EmptyState
            title={`No prompts match “${urlQuery}”`}
            description="Search looks at names and descriptions. Try fewer or other words."
            action={
              <Button variant="secondary" onClick={() => setTerm("")}>
                Clear search
              </Button>
            }
          />
        ) : data.total > 0 ? (
          <EmptyState
            title="This page is empty"
            description={`There are ${data.total} prompts on ${data.totalPages} page${data.totalPages === 1 ? "" : "s"}.`}
            action={
              <Link href={href("/prompts")} className={buttonClasses({ variant: "secondary" })}>
                Go to the first page
              </Link>
            }
          />
        ) : (
          <EmptyState
            title="No prompts yet"
            description={
              canWrite
                ? "Write a template with {{variables}}, preview it, then run it or deploy it."
                : "Members of this workspace have not written any prompts yet."
            }
            action={
              // Not a second "New prompt": one control per name on a page.
              canWrite ? (
                <Link href={href("/prompts/new")} className={buttonClasses({ variant: "secondary" })}>
                  Write your first prompt
                </Link>
              ) : null
            }
          />
        )
      ) : (
        <div className={searching ? "opacity-60 transition-opacity" : "transition-opacity"}>
          <Table>
            <TableCaption className="sr-only">Prompts{urlQuery !== "" ? ` matching “${urlQuery}”` : ""}</TableCaption>
            <TableHeader>
              <TableRow className="hover:bg-transparent">
                <TableHead className="w-1/4">Name</TableHead>
                <TableHead>Description</TableHead>
                <TableHead className="w-24">Version</TableHead>
                <TableHead className="w-36">Updated</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {data.data.map((prompt) => (
                <TableRow key={prompt.id}>
                  <TableCell className="font-medium">
                    <Link href={href(`/prompts/${prompt.id}`)} className="text-brand-700 hover:text-brand-900 hover:underline">
                      {prompt.name}
                    </Link>
                    {prompt.acceptsFiles ? (
                      <Badge tone="neutral" className="ml-2 align-middle">
                        files
                      </Badge>
                    ) : null}
                  </TableCell>
                  <TableCell className="text-gray-600">
                    {prompt.description === "" ? (
                      <span className="text-gray-500">No description</span>
                    ) : (
                      <span className="line-clamp-2">{prompt.description}</span>
                    )}
                  </TableCell>
                  <TableCell>
                    <Badge tone="brand">v{prompt.currentVersion}</Badge>
                  </TableCell>
                  <TableCell className="whitespace-nowrap text-gray-600">
                    <RelativeTime value={prompt.updatedAt} />
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
          <Pagination
            page={data.page}
            totalPages={data.totalPages}
            total={data.total}
            noun={data.total === 1 ? "prompt" : "prompts"}
            hrefFor={(page) => `${href("/prompts")}${promptListSearch(urlQuery, page)}`}
          />
        </div>
      )}
    </>
  );
}

function ListSkeleton() {
  return (
    <div role="status" className="overflow-hidden rounded-lg border border-gray-200 bg-white">
      <span className="sr-only">Loading prompts…</span>
      <div className="border-b border-gray-200 bg-gray-50 px-4 py-3">
        <Skeleton className="h-3 w-40" />
      </div>
      {Array.from({ length: 5 }, (_, index) => (
        <div key={index} className="flex items-center gap-6 border-b border-gray-100 px-4 py-4 last:border-0">
          <Skeleton className="h-4 w-40" />
          <Skeleton className="h-4 flex-1" />
          <Skeleton className="h-5 w-10" />
          <Skeleton className="h-4 w-24" />
        </div>
      ))}
    </div>
  );
}
