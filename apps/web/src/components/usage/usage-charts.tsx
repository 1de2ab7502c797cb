"use client";

import { Bar, BarChart, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { formatDay, formatTokens, formatUsd } from "./usage-format";

export interface Figures {
  executions: number;
  failed: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  unpriced: number;
}

const INPUT = "var(--color-brand-300)";
const OUTPUT = "var(--color-brand-600)";
const COST = "var(--color-amber-600, #d97706)";
const AXIS = { fontSize: 11, fill: "var(--color-gray-500)" };
const TOOLTIP = { borderRadius: 6, borderColor: "var(--color-gray-200)", fontSize: 12 };

function tooltipValue(value: unknown, name: unknown): [string, string] {
  const label = String(name);
  return [label === "Cost" ? formatUsd(Number(value)) : formatTokens(Number(value)), label];
}

/**
 * Tokens (input and output, stacked) and cost per UTC day. Decorative for screen readers: the
 * same numbers are in the table under it.
 */
export function DailyChart({ days }: { days: (Figures & { day: string })[] }) {
  return (
    <div aria-hidden="true" className="h-64 w-full">
      <ResponsiveContainer width="100%" height="100%">
        <ComposedChart data={days} margin={{ top: 8, right: 8, bottom: 0, left: 0 }} accessibilityLayer={false}>
          <CartesianGrid vertical={false} stroke="var(--color-gray-200)" />
          <XAxis dataKey="day" tickFormatter={formatDay} tick={AXIS} axisLine={false} tickLine={false} minTickGap={16} />
          <YAxis yAxisId="tokens" tickFormatter={(value: number) => formatTokens(value, true)} tick={AXIS} axisLine={false} tickLine={false} width={48} />
          <YAxis
            yAxisId="cost"
            orientation="right"
            tickFormatter={(value: number) => formatUsd(value)}
            tick={AXIS}
            axisLine={false}
            tickLine={false}
            width={64}
          />
          <Tooltip labelFormatter={(day) => (typeof day === "string" ? formatDay(day) : "")} formatter={tooltipValue} contentStyle={TOOLTIP} />
          <Legend wrapperStyle={{ fontSize: 12 }} />
          <Bar yAxisId="tokens" dataKey="inputTokens" name="Input tokens" stackId="tokens" fill={INPUT} isAnimationActive={false} />
          <Bar yAxisId="tokens" dataKey="outputTokens" name="Output tokens" stackId="tokens" fill={OUTPUT} isAnimationActive={false} />
          <Line yAxisId="cost" dataKey="costUsd" name="Cost" stroke={COST} strokeWidth={2} dot={false} isAnimationActive={false} />
        </ComposedChart>
      </ResponsiveContainer>
    </div>
  );
}

/** An axis label that fits its 150 px: long names end in "…" (the table under the chart has them whole). */
function shortLabel(label: string): string {
  return label.length > 19 ? `${label.slice(0, 18)}…` : label;
}

/** Tokens per group (provider, model or prompt) as horizontal stacked bars, largest first; the table under it has the numbers. */
export function BreakdownChart({ rows }: { rows: (Figures & { label: string })[] }) {
  const shown = [...rows].sort((a, b) => b.inputTokens + b.outputTokens - (a.inputTokens + a.outputTokens)).slice(0, 10);
  return (
    <div aria-hidden="true" style={{ height: 32 + shown.length * 34 }} className="w-full">
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={shown} layout="vertical" margin={{ top: 0, right: 16, bottom: 0, left: 0 }} barCategoryGap={8} accessibilityLayer={false}>
          <CartesianGrid horizontal={false} stroke="var(--color-gray-200)" />
          <XAxis type="number" tickFormatter={(value: number) => formatTokens(value, true)} tick={AXIS} axisLine={false} tickLine={false} />
          <YAxis
            type="category"
            dataKey="label"
            width={150}
            tickFormatter={shortLabel}
            tick={{ fontSize: 12, fill: "var(--color-gray-700)" }}
            axisLine={false}
            tickLine={false}
            interval={0}
          />
          <Tooltip formatter={tooltipValue} contentStyle={TOOLTIP} cursor={{ fill: "var(--color-gray-100)" }} />
          <Bar dataKey="inputTokens" name="Input tokens" stackId="tokens" fill={INPUT} maxBarSize={22} isAnimationActive={false} />
          <Bar dataKey="outputTokens" name="Output tokens" stackId="tokens" fill={OUTPUT} maxBarSize={22} radius={[0, 4, 4, 0]} isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
