import { EXECUTION_STATUSES } from "@sigil/validators";
import { firstParam, parsePage } from "@/components/prompts/list-params";
import type { RouterInputs } from "@/trpc/types";
import type { ExecutionStatus } from "./format";

export const EXECUTIONS_PAGE_SIZE = 20;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

type SearchParamValue = string | string[] | null | undefined;

export interface ExecutionFilters {
  status: ExecutionStatus | null;
  promptId: string | null;
  page: number;
}

/** The list's filters from the URL (`?status=failed&prompt=<id>&page=2`); unknown values are ignored. */
export function parseExecutionFilters(params: { status?: SearchParamValue; prompt?: SearchParamValue; page?: SearchParamValue }): ExecutionFilters {
  const status = firstParam(params.status);
  const prompt = firstParam(params.prompt);
  return {
    status: EXECUTION_STATUSES.find((candidate) => candidate === status) ?? null,
    promptId: prompt !== undefined && UUID.test(prompt) ? prompt.toLowerCase() : null,
    page: parsePage(params.page),
  };
}

/** The `executions.list` input of the filters, identical on the server and in the browser. */
export function executionListInput(filters: ExecutionFilters): RouterInputs["executions"]["list"] {
  return {
    page: filters.page,
    pageSize: EXECUTIONS_PAGE_SIZE,
    ...(filters.status ? { status: filters.status } : {}),
    ...(filters.promptId ? { promptId: filters.promptId } : {}),
  };
}

/** `?status=…&prompt=…&page=…` (defaults left out). */
export function executionListSearch(filters: ExecutionFilters): string {
  const params = new URLSearchParams();
  if (filters.status) params.set("status", filters.status);
  if (filters.promptId) params.set("prompt", filters.promptId);
  if (filters.page > 1) params.set("page", String(filters.page));
  const text = params.toString();
  return text === "" ? "" : `?${text}`;
}
