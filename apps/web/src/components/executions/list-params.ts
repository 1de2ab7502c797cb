import { EXECUTION_STATUSES, REVIEW_STATUSES } from "@sigil/validators";
import { firstParam, parsePage } from "@/components/prompts/list-params";
import type { RouterInputs } from "@/trpc/types";
import type { ExecutionStatus } from "./format";
import type { ReviewStatus } from "./review";

export const EXECUTIONS_PAGE_SIZE = 20;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

type SearchParamValue = string | string[] | null | undefined;

export interface ExecutionFilters {
  status: ExecutionStatus | null;
  promptId: string | null;
  /** Only starred executions. */
  starred: boolean;
  reviewStatus: ReviewStatus | null;
  /** Days (YYYY-MM-DD, UTC), both included. */
  from: string | null;
  to: string | null;
  page: number;
}

export const NO_FILTERS: Omit<ExecutionFilters, "page"> = { status: null, promptId: null, starred: false, reviewStatus: null, from: null, to: null };

type FilterParams = Partial<Record<"status" | "prompt" | "starred" | "review" | "from" | "to" | "page", SearchParamValue>>;

/** The URL parameters the filters are read from (a page's searchParams, or URLSearchParams). */
export function filterParams(get: (name: string) => SearchParamValue): FilterParams {
  return Object.fromEntries((["status", "prompt", "starred", "review", "from", "to", "page"] as const).map((name) => [name, get(name)]));
}

const day = (value: SearchParamValue): string | null => {
  const text = firstParam(value);
  return text !== undefined && DAY.test(text) ? text : null;
};

/** The list's filters from the URL (`?status=failed&prompt=<id>&starred=1&review=needs_work&from=…&to=…&page=2`); unknown values are ignored. */
export function parseExecutionFilters(params: FilterParams): ExecutionFilters {
  const status = firstParam(params.status);
  const prompt = firstParam(params.prompt);
  const review = firstParam(params.review);
  return {
    status: EXECUTION_STATUSES.find((candidate) => candidate === status) ?? null,
    promptId: prompt !== undefined && UUID.test(prompt) ? prompt.toLowerCase() : null,
    starred: firstParam(params.starred) === "1",
    reviewStatus: REVIEW_STATUSES.find((candidate) => candidate === review) ?? null,
    from: day(params.from),
    to: day(params.to),
    page: parsePage(params.page),
  };
}

/** The filters as the API's parameters (the list's input and the CSV export's query). */
function apiFilters(filters: ExecutionFilters): Record<string, string> {
  return {
    ...(filters.status ? { status: filters.status } : {}),
    ...(filters.promptId ? { promptId: filters.promptId } : {}),
    ...(filters.starred ? { starred: "true" } : {}),
    ...(filters.reviewStatus ? { reviewStatus: filters.reviewStatus } : {}),
    ...(filters.from ? { from: filters.from } : {}),
    ...(filters.to ? { to: filters.to } : {}),
  };
}

/** The `executions.list` input of the filters, identical on the server and in the browser. */
export function executionListInput(filters: ExecutionFilters): RouterInputs["executions"]["list"] {
  return { page: filters.page, pageSize: EXECUTIONS_PAGE_SIZE, ...apiFilters(filters) };
}

/** The CSV export's query string: the same filters, all pages. */
export function executionExportSearch(filters: ExecutionFilters): string {
  const text = new URLSearchParams(apiFilters(filters)).toString();
  return text === "" ? "" : `?${text}`;
}

/** `?status=…&prompt=…&…&page=…` (defaults left out). */
export function executionListSearch(filters: ExecutionFilters): string {
  const params = new URLSearchParams();
  if (filters.status) params.set("status", filters.status);
  if (filters.promptId) params.set("prompt", filters.promptId);
  if (filters.starred) params.set("starred", "1");
  if (filters.reviewStatus) params.set("review", filters.reviewStatus);
  if (filters.from) params.set("from", filters.from);
  if (filters.to) params.set("to", filters.to);
  if (filters.page > 1) params.set("page", String(filters.page));
  const text = params.toString();
  return text === "" ? "" : `?${text}`;
}
