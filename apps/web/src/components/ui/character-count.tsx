import type { ReactNode } from "react";
import { cn } from "@/lib/cn";

/** From this share of the limit on, the count is shown: early enough to plan, quiet before. */
const SHOW_FROM = 0.8;

/**
 * "182 / 200 characters" under a text field near its limit; red past it, where the form's check
 * says what to do. Fields never cut what is typed (no `maxLength`): a pasted text that is too long
 * stays visible to be shortened, rather than silently losing its end. Null while far from the
 * limit, so a Field gets no empty hint.
 */
export function characterCount(length: number, max: number, { always = false }: { always?: boolean } = {}): ReactNode {
  if (!always && length < max * SHOW_FROM) return null;
  return (
    <span className={cn("tabular-nums", length > max ? "font-medium text-red-600" : undefined)}>
      {length.toLocaleString("en")} / {max.toLocaleString("en")} characters
    </span>
  );
}
