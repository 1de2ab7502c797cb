"use client";

import { useSyncExternalStore } from "react";

/**
 * One shared clock for every RelativeTime on the page, ticking every 30 s while any is mounted.
 * The server (and the hydration pass) has no clock: `null`, so both renders agree.
 */
let now = Date.now();
const listeners = new Set<() => void>();
let timer: ReturnType<typeof setInterval> | null = null;

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  if (timer === null) {
    now = Date.now();
    timer = setInterval(() => {
      now = Date.now();
      for (const notify of listeners) notify();
    }, 30_000);
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer !== null) {
      clearInterval(timer);
      timer = null;
    }
  };
}

/** The current time in the browser (refreshed every 30 s), null on the server and while hydrating. */
export function useNow(): number | null {
  return useSyncExternalStore(
    subscribe,
    () => now,
    () => null,
  );
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ["year", 365 * 24 * 3600],
  ["month", 30 * 24 * 3600],
  ["week", 7 * 24 * 3600],
  ["day", 24 * 3600],
  ["hour", 3600],
  ["minute", 60],
];

/** "3 minutes ago", "in 2 hours", "just now" (under a minute). */
export function formatRelative(date: Date, reference: number): string {
  const seconds = Math.round((date.getTime() - reference) / 1000);
  if (Math.abs(seconds) < 60) return "just now";
  const format = new Intl.RelativeTimeFormat("en", { numeric: "auto" });
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size) return format.format(Math.trunc(seconds / size), unit);
  }
  return format.format(Math.trunc(seconds / 60), "minute");
}

/**
 * "5 minutes ago" in a `<time>` element whose title is the exact local date. The server renders
 * the UTC date (it knows neither the reader's clock nor zone); the browser switches after hydration.
 */
export function RelativeTime({ value, fallback = "—", className }: { value: Date | string | null | undefined; fallback?: string; className?: string }) {
  const current = useNow();
  if (value === null || value === undefined) return <span className={className}>{fallback}</span>;
  const date = typeof value === "string" ? new Date(value) : value;
  if (Number.isNaN(date.getTime())) return <span className={className}>{fallback}</span>;
  const exact = new Intl.DateTimeFormat("en-US", { dateStyle: "medium", timeStyle: "medium", ...(current === null ? { timeZone: "UTC" } : {}) }).format(date);
  return (
    <time dateTime={date.toISOString()} title={current === null ? `${exact} UTC` : exact} className={className}>
      {current === null ? `${exact} UTC` : formatRelative(date, current)}
    </time>
  );
}
