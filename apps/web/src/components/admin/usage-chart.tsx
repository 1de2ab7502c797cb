"use client";

import { useId } from "react";
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { axisTicks } from "./format";

export interface UsagePoint {
  slug: string;
  value: number;
  /** The tenant's limit for this measure, for the tooltip and the data table. */
  limit?: number;
}

const MAX_BARS = 12;
const BRAND = "var(--color-brand-600)";

/**
 * One measure per tenant as horizontal bars, largest first (at most 12). The same numbers are
 * in a visually hidden table for screen readers.
 */
export function UsageChart({
  title,
  description,
  points,
  format,
  unavailable = 0,
  emptyText = "Nothing to show yet.",
  tickBase = 1,
}: {
  title: string;
  description: string;
  points: UsagePoint[];
  format: (value: number) => string;
  /** Tenants left out because their value could not be read. */
  unavailable?: number;
  /** Shown instead of the bars when every tenant is at 0. */
  emptyText?: string;
  /** The unit step of the axis: 1 for counts, 1024 for bytes (ticks in KB, MB… as the values need). */
  tickBase?: number;
}) {
  const titleId = useId();
  // Tenants at 0 would only add empty rows: the largest non-zero values, at most 12.
  const sorted = points.filter((point) => point.value > 0).sort((a, b) => b.value - a.value || a.slug.localeCompare(b.slug));
  const shown = sorted.slice(0, MAX_BARS);
  const atZero = points.length - sorted.length;
  const height = 24 + shown.length * 36;
  const ticks = axisTicks(shown[0]?.value ?? 0, tickBase);
  const notes = [
    sorted.length > MAX_BARS ? `Top ${MAX_BARS} of ${sorted.length}.` : null,
    atZero > 0 && shown.length > 0 ? `${atZero} ${atZero === 1 ? "tenant" : "tenants"} at 0 not shown.` : null,
    unavailable > 0 ? `${unavailable} ${unavailable === 1 ? "tenant" : "tenants"} could not be read.` : null,
  ].filter(Boolean);
  return (
    <Card className="flex flex-col">
      <CardHeader>
        <CardTitle id={titleId}>{title}</CardTitle>
        <CardDescription>
          {description}
          {notes.length > 0 ? ` ${notes.join(" ")}` : ""}
        </CardDescription>
      </CardHeader>
      <CardContent className="flex-1">
        {points.length === 0 ? (
          <EmptyState title="No data yet" description="Tenants appear here once they exist and can be read." className="py-8" />
        ) : shown.length === 0 ? (
          <div className="flex h-full min-h-24 items-center justify-center rounded-md border border-dashed border-gray-200 px-4 py-6 text-center text-sm text-gray-500">
            {emptyText} {atZero} {atZero === 1 ? "tenant" : "tenants"} at 0.
          </div>
        ) : (
          <figure aria-labelledby={titleId} className="m-0">
            <div aria-hidden="true" style={{ height }}>
              <ResponsiveContainer width="100%" height="100%">
                <BarChart data={shown} layout="vertical" margin={{ top: 0, right: 16, bottom: 0, left: 0 }} barCategoryGap={8} accessibilityLayer={false}>
                  <CartesianGrid horizontal={false} stroke="var(--color-gray-200)" />
                  <XAxis
                    type="number"
                    ticks={ticks}
                    domain={[0, ticks.at(-1) ?? 1]}
                    tickFormatter={format}
                    tick={{ fontSize: 11, fill: "var(--color-gray-500)" }}
                    axisLine={false}
                    tickLine={false}
                  />
                  <YAxis
                    type="category"
                    dataKey="slug"
                    width={96}
                    tick={{ fontSize: 12, fill: "var(--color-gray-700)" }}
                    axisLine={false}
                    tickLine={false}
                    interval={0}
                  />
                  <Tooltip
                    cursor={{ fill: "var(--color-gray-100)" }}
                    formatter={(value, _name, item) => {
                      const limit = (item.payload as UsagePoint | undefined)?.limit;
                      const shownValue = format(Number(value));
                      return [limit === undefined ? shownValue : `${shownValue} of ${format(limit)}`, title];
                    }}
                    contentStyle={{ borderRadius: 6, borderColor: "var(--color-gray-200)", fontSize: 12 }}
                  />
                  <Bar dataKey="value" fill={BRAND} radius={[0, 4, 4, 0]} maxBarSize={22} minPointSize={3} isAnimationActive={false} />
                </BarChart>
              </ResponsiveContainer>
            </div>
            <table className="sr-only">
              <caption>{title}</caption>
              <thead>
                <tr>
                  <th scope="col">Tenant</th>
                  <th scope="col">{title}</th>
                </tr>
              </thead>
              <tbody>
                {shown.map((point) => (
                  <tr key={point.slug}>
                    <th scope="row">{point.slug}</th>
                    <td>{point.limit === undefined ? format(point.value) : `${format(point.value)} of ${format(point.limit)}`}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </figure>
        )}
      </CardContent>
    </Card>
  );
}
