import type { ExecutionFilter } from "@sigil/db";
import type { executionFilters } from "@sigil/validators";
import { TRPCError } from "@trpc/server";
import type { z } from "zod";

const DAY_MS = 24 * 60 * 60_000;
const isDay = (value: string) => /^\d{4}-\d{2}-\d{2}$/.test(value);

/**
 * The list's filters (validators' executionFilters) as the model's ExecutionFilter, shared by
 * `executions.list` and the CSV export so both select the same executions. A day in `to` includes
 * the whole day (UTC); an instant is included itself.
 */
export function toExecutionFilter(input: z.infer<typeof executionFilters>): ExecutionFilter {
  const createdFrom = input.from !== undefined ? new Date(isDay(input.from) ? `${input.from}T00:00:00Z` : input.from) : undefined;
  const createdBefore =
    input.to !== undefined ? new Date(isDay(input.to) ? Date.parse(`${input.to}T00:00:00Z`) + DAY_MS : Date.parse(input.to) + 1) : undefined;
  if (createdFrom && createdBefore && createdFrom >= createdBefore) {
    throw new TRPCError({ code: "BAD_REQUEST", message: `The date range is empty: "from" (${input.from ?? ""}) is after "to" (${input.to ?? ""}).` });
  }
  return {
    status: input.status,
    promptId: input.promptId,
    deploymentId: input.deploymentId,
    starred: input.starred === undefined ? undefined : input.starred === "true",
    reviewStatus: input.reviewStatus,
    createdFrom,
    createdBefore,
  };
}
