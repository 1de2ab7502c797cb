"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { ErrorAlert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Skeleton } from "@/components/ui/spinner";
import { Table, TableBody, TableCaption, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { cn } from "@/lib/cn";
import { useTRPC } from "@/trpc/client";
import { BreakdownChart, DailyChart, type Figures } from "./usage-charts";
import { DEFAULT_PRESET, formatDay, formatRate, formatTokens, formatUsd, presetRange, RANGE_PRESETS, type RangePreset } from "./usage-format";

type Range = { from: string; to: string };

/**
 * Executions, tokens and cost of this workspace over a range of UTC days (presets or custom),
 * by day, provider, model and prompt: one `usage.summary` query per range.
 */
export function UsageDashboard() {
  const trpc = useTRPC();
  const [preset, setPreset] = useState<RangePreset | "custom">(DEFAULT_PRESET);
  const [range, setRange] = useState<Range>(() => presetRange(DEFAULT_PRESET));
  const summary = useQuery({ ...trpc.usage.summary.queryOptions(range), placeholderData: keepPreviousData });

  return (
    <section aria-labelledby="usage-dashboard-title" className="mt-10 space-y-4">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <div>
          <h2 id="usage-dashboard-title" className="text-lg font-semibold text-gray-900">
            Tokens and cost
          </h2>
          <p className="text-sm text-gray-600">
            Executions created from {formatDay(range.from)} to {formatDay(range.to)} (UTC days). Costs use the prices in force when each execution finished.
          </p>
        </div>
        <RangePicker
          preset={preset}
          range={range}
          onPreset={(days) => {
            setPreset(days);
            setRange(presetRange(days));
          }}
          onCustom={(custom) => {
            setPreset("custom");
            setRange(custom);
          }}
        />
      </div>
      {summary.error ? <ErrorAlert error={summary.error} /> : null}
      {summary.data ? (
        <div className={cn("space-y-4", summary.isPlaceholderData && "opacity-60")} aria-busy={summary.isFetching ? true : undefined}>
          <Totals totals={summary.data.totals} />
          {summary.data.totals.executions === 0 ? (
            <EmptyState
              title="No executions in this range"
              description="Run a prompt or a deployment; its tokens and cost show here once it finishes. Choose a longer range to see older ones."
            />
          ) : (
            <>
              <Card>
                <CardHeader>
                  <CardTitle>By day</CardTitle>
                  <CardDescription>Input and output tokens (bars) and cost (line) per UTC day.</CardDescription>
                </CardHeader>
                <CardContent className="space-y-4">
                  <DailyChart days={summary.data.byDay} />
                  <FiguresTable
                    caption="Usage by day"
                    heading="Day"
                    rows={summary.data.byDay.filter((row) => row.executions > 0).map((row) => ({ ...row, key: row.day, label: formatDay(row.day) }))}
                  />
                </CardContent>
              </Card>
              <Breakdown
                title="By provider"
                heading="Provider"
                rows={summary.data.byProvider.map((row) => ({ ...row, key: row.provider, label: row.provider }))}
              />
              <Breakdown
                title="By model"
                heading="Model"
                rows={summary.data.byModel.map((row) => ({ ...row, key: `${row.provider}/${row.model}`, label: `${row.provider} · ${row.model}` }))}
              />
              <Breakdown
                title="By prompt"
                heading="Prompt"
                rows={summary.data.byPrompt.map((row) => ({ ...row, key: row.promptId, label: row.name ?? "(deleted prompt)" }))}
              />
            </>
          )}
        </div>
      ) : summary.isPending ? (
        <Skeleton className="h-64 w-full" />
      ) : null}
    </section>
  );
}

function RangePicker({
  preset,
  range,
  onPreset,
  onCustom,
}: {
  preset: RangePreset | "custom";
  range: Range;
  onPreset: (days: RangePreset) => void;
  onCustom: (range: Range) => void;
}) {
  return (
    <div className="flex flex-wrap items-end gap-3">
      <div role="group" aria-label="Date range" className="inline-flex rounded-md shadow-xs">
        {RANGE_PRESETS.map((days) => (
          <Button
            key={days}
            size="sm"
            variant={preset === days ? "primary" : "secondary"}
            aria-pressed={preset === days}
            className="rounded-none first:rounded-l-md last:rounded-r-md"
            onClick={() => onPreset(days)}
          >
            {days} days
          </Button>
        ))}
      </div>
      {/* Keyed by the range: picking a preset shows its dates in the custom fields. */}
      <CustomRange key={`${range.from}/${range.to}`} range={range} custom={preset === "custom"} onApply={onCustom} />
    </div>
  );
}

function CustomRange({ range, custom, onApply }: { range: Range; custom: boolean; onApply: (range: Range) => void }) {
  const [draft, setDraft] = useState<Range>(range);
  const [error, setError] = useState<string | undefined>();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (draft.from === "" || draft.to === "") return setError("Choose both dates.");
    if (draft.from > draft.to) return setError("The start date must not be after the end date.");
    setError(undefined);
    onApply(draft);
  };
  return (
    <form onSubmit={submit} className="flex flex-wrap items-end gap-2" aria-label="Custom range">
      <Field label="From" error={error} className="w-40">
        {(props) => (
          <Input
            {...props}
            type="date"
            name="from"
            value={draft.from}
            max={draft.to || undefined}
            onChange={(event) => setDraft({ ...draft, from: event.target.value })}
          />
        )}
      </Field>
      <Field label="To" className="w-40">
        {(props) => (
          <Input
            {...props}
            type="date"
            name="to"
            value={draft.to}
            min={draft.from || undefined}
            onChange={(event) => setDraft({ ...draft, to: event.target.value })}
          />
        )}
      </Field>
      <Button type="submit" size="sm" variant={custom ? "primary" : "secondary"}>
        Apply
      </Button>
    </form>
  );
}

function Totals({ totals }: { totals: Figures }) {
  const items: { label: string; value: string; note?: string }[] = [
    { label: "Executions", value: formatTokens(totals.executions) },
    { label: "Input tokens", value: formatTokens(totals.inputTokens) },
    { label: "Output tokens", value: formatTokens(totals.outputTokens) },
    {
      label: "Cost",
      value: formatUsd(totals.costUsd),
      ...(totals.unpriced > 0 ? { note: `${formatTokens(totals.unpriced)} without a price` } : {}),
    },
    { label: "Failure rate", value: formatRate(totals.failed, totals.executions), note: `${formatTokens(totals.failed)} failed` },
  ];
  return (
    <dl className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-5">
      {items.map((item) => (
        <div key={item.label} className="rounded-lg border border-gray-200 bg-white px-4 py-3">
          <dt className="text-xs font-medium tracking-wide text-gray-600 uppercase">{item.label}</dt>
          <dd className="mt-1 text-xl font-semibold text-gray-900 tabular-nums">{item.value}</dd>
          {item.note ? <dd className="text-xs text-gray-600">{item.note}</dd> : null}
        </div>
      ))}
    </dl>
  );
}

type Row = Figures & { key: string; label: string };

function Breakdown({ title, heading, rows }: { title: string; heading: string; rows: Row[] }) {
  return (
    <Card>
      <CardHeader>
        <CardTitle>{title}</CardTitle>
        <CardDescription>Tokens per {heading.toLowerCase()} (the ten largest in the chart; all in the table).</CardDescription>
      </CardHeader>
      <CardContent className="space-y-4">
        <BreakdownChart rows={rows} />
        <FiguresTable caption={`Usage ${title.toLowerCase()}`} heading={heading} rows={rows} />
      </CardContent>
    </Card>
  );
}

function FiguresTable({ caption, heading, rows }: { caption: string; heading: string; rows: Row[] }) {
  return (
    <Table>
      <TableCaption className="sr-only">{caption}</TableCaption>
      <TableHeader>
        <TableRow>
          <TableHead>{heading}</TableHead>
          <TableHead className="text-right">Executions</TableHead>
          <TableHead className="text-right">Failed</TableHead>
          <TableHead className="text-right">Input tokens</TableHead>
          <TableHead className="text-right">Output tokens</TableHead>
          <TableHead className="text-right">Cost</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {rows.map((row) => (
          <TableRow key={row.key}>
            <TableHead scope="row" className="text-sm font-medium tracking-normal text-gray-900 normal-case">
              {row.label}
            </TableHead>
            <TableCell className="text-right tabular-nums">{formatTokens(row.executions)}</TableCell>
            <TableCell className="text-right tabular-nums">{formatTokens(row.failed)}</TableCell>
            <TableCell className="text-right tabular-nums">{formatTokens(row.inputTokens)}</TableCell>
            <TableCell className="text-right tabular-nums">{formatTokens(row.outputTokens)}</TableCell>
            <TableCell className="text-right tabular-nums">{formatUsd(row.costUsd)}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}
