"use client";

import { useHydrated } from "@/components/ui/use-hydrated";

const FORMATS = {
  datetime: { dateStyle: "medium", timeStyle: "short" },
  date: { dateStyle: "medium" },
  seconds: { dateStyle: "medium", timeStyle: "medium" },
} satisfies Record<string, Intl.DateTimeFormatOptions>;

/**
 * A date in a `<time>` element, in the reader's time zone. The server renders UTC (it does not
 * know the reader's zone) and the browser switches to local time after hydration, so the two
 * renders never disagree. `fallback` is shown for null.
 */
export function DateTime({
  value,
  format = "datetime",
  fallback = "—",
  className,
}: {
  value: Date | string | null | undefined;
  format?: keyof typeof FORMATS;
  fallback?: string;
  className?: string;
}) {
  const hydrated = useHydrated();
  if (value === null || value === undefined) return <span className={className}>{fallback}</span>;
  const date = typeof value === "string" ? new Date(value) : value;
  if (Number.isNaN(date.getTime())) return <span className={className}>{fallback}</span>;
  const text = new Intl.DateTimeFormat("en-US", { ...FORMATS[format], ...(hydrated ? {} : { timeZone: "UTC" }) }).format(date);
  return (
    <time dateTime={date.toISOString()} title={date.toISOString()} className={className}>
      {text}
      {hydrated ? null : " UTC"}
    </time>
  );
}
