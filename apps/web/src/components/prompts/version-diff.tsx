"use client";

import { useId, useMemo, useState } from "react";
import { Badge } from "@/components/ui/badge";
import { cn } from "@/lib/cn";
import { collapseUnchanged, diffLines, sideBySide, type DiffLine, type SideBySideRow } from "@/lib/diff";
import type { RouterOutputs } from "@/trpc/types";
import { changeNoteLabel } from "./versions";

type Version = RouterOutputs["prompts"]["versions"][number];

/**
 * "Changes from vA to vB": name, description, file and schema changes, then the template side by side
 * (old on the left, new on the right): additions green, deletions red, unchanged grey. Long
 * unchanged stretches fold into buttons that show them.
 */
export function VersionDiff({ from, to }: { from: Version; to: Version }) {
  const headingId = useId();
  const diff = useMemo(() => diffLines(from.template, to.template), [from.template, to.template]);
  const rows = useMemo(() => sideBySide(diff.lines), [diff.lines]);
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const collapsed = useMemo(() => collapseUnchanged(rows, (row) => row.left?.kind === "equal"), [rows]);

  const fieldChanges = [
    from.name !== to.name ? { label: "Name", before: from.name, after: to.name } : null,
    from.description !== to.description ? { label: "Description", before: from.description, after: to.description } : null,
    from.acceptsFiles !== to.acceptsFiles ? { label: "Accepts files", before: from.acceptsFiles ? "yes" : "no", after: to.acceptsFiles ? "yes" : "no" } : null,
    JSON.stringify(from.responseSchema) !== JSON.stringify(to.responseSchema)
      ? { label: "Response schema", before: schemaText(from.responseSchema), after: schemaText(to.responseSchema) }
      : null,
    JSON.stringify(from.inputSchema) !== JSON.stringify(to.inputSchema)
      ? { label: "Input schema", before: schemaText(from.inputSchema), after: schemaText(to.inputSchema) }
      : null,
  ].filter((change) => change !== null);
  const templateChanged = diff.added > 0 || diff.removed > 0;

  return (
    <section aria-labelledby={headingId} className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h3 id={headingId} className="text-base font-semibold text-gray-900">
          Changes from v{from.version} to v{to.version}
        </h3>
        <p className="flex items-center gap-2 text-sm text-gray-600">
          <span className="font-medium text-green-700 tabular-nums">+{diff.added}</span>
          <span className="font-medium text-red-700 tabular-nums">−{diff.removed}</span>
          <span>template lines</span>
          {fieldChanges.length > 0 ? (
            <Badge tone="warning">{fieldChanges.length === 1 ? "1 field changed" : `${fieldChanges.length} fields changed`}</Badge>
          ) : null}
        </p>
      </div>
      <dl className="grid gap-x-4 gap-y-1 text-sm sm:grid-cols-[auto_minmax(0,1fr)]">
        {[from, to].map((version) => (
          <div key={version.version} className="contents">
            <dt className="font-medium text-gray-700">v{version.version} note</dt>
            <dd className="break-words text-gray-700">{changeNoteLabel(version.changeNote)}</dd>
          </div>
        ))}
      </dl>

      {fieldChanges.length > 0 ? (
        <dl className="divide-y divide-gray-100 overflow-hidden rounded-lg border border-gray-200 bg-white text-sm">
          {fieldChanges.map((change) => (
            <div key={change.label} className="grid gap-1 px-4 py-3 sm:grid-cols-[9rem_minmax(0,1fr)_minmax(0,1fr)] sm:gap-4">
              <dt className="font-medium text-gray-700">{change.label}</dt>
              <dd className="rounded-md bg-red-50 px-2 py-1 break-words text-red-900">
                <span className="sr-only">v{from.version}, removed: </span>
                <del className="decoration-red-400/60">{change.before === "" ? <em className="text-red-700/70">empty</em> : change.before}</del>
              </dd>
              <dd className="rounded-md bg-green-50 px-2 py-1 break-words text-green-900">
                <span className="sr-only">v{to.version}, added: </span>
                <ins className="no-underline">{change.after === "" ? <em className="text-green-700/70">empty</em> : change.after}</ins>
              </dd>
            </div>
          ))}
        </dl>
      ) : null}

      {!templateChanged ? (
        <p className="rounded-lg border border-dashed border-gray-300 bg-white px-4 py-6 text-center text-sm text-gray-600">
          The template is the same in v{from.version} and v{to.version}.
        </p>
      ) : (
        <div
          role="region"
          aria-label={`Template changes from v${from.version} to v${to.version}`}
          tabIndex={0}
          className="relative overflow-x-auto rounded-lg border border-gray-200 bg-white focus-visible:outline-2 focus-visible:outline-brand-600"
        >
          {diff.approximate ? (
            <p className="border-b border-amber-200 bg-amber-50 px-4 py-2 text-xs text-amber-900">
              These templates are too large for a line-by-line comparison: the changed part is shown as a whole.
            </p>
          ) : null}
          <table className="w-full table-fixed border-collapse font-mono text-[13px] leading-5">
            <caption className="sr-only">
              Template lines: v{from.version} on the left, v{to.version} on the right. Each changed line says whether it was removed or added.
            </caption>
            <colgroup>
              <col className="w-11" />
              <col />
              <col className="w-11" />
              <col />
            </colgroup>
            <thead className="border-b border-gray-200 bg-gray-50 font-sans text-xs text-gray-600">
              <tr>
                <th scope="col" colSpan={2} className="px-3 py-2 text-left font-semibold">
                  v{from.version} <span className="font-normal text-gray-500">(before)</span>
                </th>
                <th scope="col" colSpan={2} className="border-l border-gray-200 px-3 py-2 text-left font-semibold">
                  v{to.version} <span className="font-normal text-gray-500">(after)</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {collapsed.map((item) =>
                item.type === "row" ? (
                  <DiffRow key={rowKey(item.row)} row={item.row} />
                ) : expanded.has(item.id) ? (
                  item.rows.map((row) => <DiffRow key={rowKey(row)} row={row} />)
                ) : (
                  <tr key={item.id} className="bg-gray-50">
                    <td colSpan={4} className="border-y border-gray-100 px-3 py-1 text-center font-sans">
                      <button
                        type="button"
                        onClick={() => setExpanded((current) => new Set(current).add(item.id))}
                        className="rounded px-2 py-0.5 text-xs font-medium text-brand-700 hover:bg-brand-50 focus-visible:outline-2 focus-visible:outline-brand-600"
                      >
                        Show {item.rows.length} unchanged lines
                      </button>
                    </td>
                  </tr>
                ),
              )}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function rowKey(row: SideBySideRow): string {
  return `${row.left?.oldNumber ?? "-"}:${row.right?.newNumber ?? "-"}`;
}

const SIDE_STYLES = {
  equal: { number: "text-gray-500", text: "text-gray-500", marker: " ", label: "unchanged" },
  removed: { number: "bg-red-100 text-red-700", text: "bg-red-50 text-red-900", marker: "−", label: "removed" },
  added: { number: "bg-green-100 text-green-700", text: "bg-green-50 text-green-900", marker: "+", label: "added" },
} as const;

function DiffRow({ row }: { row: SideBySideRow }) {
  return (
    <tr className="align-top">
      <DiffCells line={row.left} number={row.left?.oldNumber ?? null} />
      <DiffCells line={row.right} number={row.right?.newNumber ?? null} divider />
    </tr>
  );
}

function DiffCells({ line, number, divider = false }: { line: DiffLine | null; number: number | null; divider?: boolean }) {
  if (line === null) {
    return (
      <>
        <td className={cn("bg-gray-50", divider && "border-l border-gray-200")} />
        <td className="bg-gray-50">
          <span className="sr-only">no line</span>
        </td>
      </>
    );
  }
  const style = SIDE_STYLES[line.kind];
  return (
    <>
      <td className={cn("px-2 text-right tabular-nums select-none", style.number, divider && "border-l border-gray-200")}>{number}</td>
      <td className={cn("px-2 break-words whitespace-pre-wrap", style.text)}>
        <span aria-hidden="true" className="mr-1.5 inline-block w-2 select-none">
          {style.marker}
        </span>
        {line.kind === "equal" ? null : <span className="sr-only">{style.label}: </span>}
        {line.text === "" ? "\u00a0" : line.text}
      </td>
    </>
  );
}

function schemaText(schema: Record<string, unknown> | null): string {
  return schema === null ? "none" : JSON.stringify(schema);
}
