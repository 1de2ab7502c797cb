import type { RouterInputs } from "@/trpc/types";

/** Prompts per page of the list. */
export const PROMPTS_PAGE_SIZE = 20;

type SearchParamValue = string | string[] | null | undefined;

/** One value of a search parameter, from Next's `searchParams` (string | string[]) or URLSearchParams (string | null). */
export function firstParam(value: SearchParamValue): string | undefined {
  const first = Array.isArray(value) ? value[0] : value;
  return first === null || first === undefined ? undefined : first;
}

/** A 1-based page number from the URL; anything else is page 1. */
export function parsePage(value: SearchParamValue): number {
  const text = firstParam(value);
  if (text === undefined || !/^\d{1,6}$/.test(text)) return 1;
  const page = Number(text);
  return page >= 1 ? page : 1;
}

/** The search text from `?q=` (trimmed, at most 200 characters like the API accepts). */
export function parseQuery(value: SearchParamValue): string {
  return (firstParam(value) ?? "").trim().slice(0, 200);
}

/**
 * The `prompts.list` input of a URL, built the same way by the server's prefetch and the
 * browser's query, so the browser finds the prefetched page under the same key.
 */
export function promptListInput(params: { q?: SearchParamValue; page?: SearchParamValue }): RouterInputs["prompts"]["list"] {
  const query = parseQuery(params.q);
  return { page: parsePage(params.page), pageSize: PROMPTS_PAGE_SIZE, ...(query === "" ? {} : { query }) };
}

/** `?q=…&page=…` for the list (page 1 and an empty search are left out). */
export function promptListSearch(q: string, page: number): string {
  const params = new URLSearchParams();
  if (q.trim() !== "") params.set("q", q.trim());
  if (page > 1) params.set("page", String(page));
  const text = params.toString();
  return text === "" ? "" : `?${text}`;
}
