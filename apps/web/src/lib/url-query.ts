import type { z } from "zod";

/** Next's `searchParams`: a parameter may be missing, given once, or repeated. */
export type SearchParams = Record<string, string | string[] | undefined>;

/** The first value of a parameter (a repeated one counts once). */
export function firstParam(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** An id (UUID) parameter, lower-cased, else undefined. */
export function idParam(value: string | string[] | undefined): string | undefined {
  const text = firstParam(value);
  return text !== undefined && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(text) ? text.toLowerCase() : undefined;
}

/** A whole number ≥ 1 of at most six digits, else undefined. */
export function positiveIntegerParam(value: string | undefined): number | undefined {
  return value !== undefined && /^\d{1,6}$/.test(value) && Number(value) >= 1 ? Number(value) : undefined;
}

/**
 * Parses what a page's URL asks for with the procedure's own schema; a parameter the schema
 * refuses is dropped (its default applies) rather than turned into an error page, and the rest is
 * kept. `defaults` go under what the URL kept (the page's own, where they differ from the schema's).
 */
export function parseKeepingValid<Schema extends z.ZodType>(
  schema: Schema,
  wanted: Record<string, unknown>,
  defaults: Record<string, unknown> = {},
): z.output<Schema> {
  const parsed = schema.safeParse(wanted);
  if (parsed.success) return parsed.data;
  const refused = new Set(parsed.error.issues.map((issue) => String(issue.path[0])));
  const kept = Object.fromEntries(Object.entries(wanted).filter(([key]) => !refused.has(key)));
  return schema.parse({ ...defaults, ...kept });
}
