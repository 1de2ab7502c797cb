"use client";

import { REVIEW_STATUSES } from "@sigil/validators";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Select } from "@/components/ui/input";
import { useToast } from "@/components/ui/toast";
import { useMe } from "@/components/workspace/workspace-context";
import { errorMessage } from "@/lib/trpc-errors";
import { useTRPC } from "@/trpc/client";
import type { RouterOutputs } from "@/trpc/types";
import type { ExecutionStatus } from "./format";
import { REVIEW_LABELS, type ReviewStatus } from "./review";

export interface ReviewedExecution {
  id: string;
  status: ExecutionStatus;
  starred: boolean;
  reviewStatus: ReviewStatus;
  valid: boolean | null;
  validationErrors: { path: string; message: string }[] | null;
}

/** Whether the result follows the version's response schema: nothing when the version has none. */
export function ValidityBadge({ valid, className }: { valid: boolean | null; className?: string }) {
  if (valid === null) return null;
  return (
    <Badge tone={valid ? "success" : "warning"} className={className}>
      {valid ? "valid" : "invalid"}
    </Badge>
  );
}

/** Why the result does not follow the schema, as the worker found it. */
export function ValidationErrors({ execution }: { execution: Pick<ReviewedExecution, "valid" | "validationErrors"> }) {
  if (execution.valid !== false) return null;
  const errors = execution.validationErrors ?? [];
  return (
    <div role="note" aria-label="Schema validation" className="mt-4 rounded-md border border-amber-200 bg-amber-50 px-4 py-3 text-sm text-amber-900">
      <p className="font-medium">The result does not follow the response schema{errors.length > 0 ? ":" : "."}</p>
      {errors.length > 0 ? (
        <ul className="mt-1.5 list-disc space-y-0.5 pl-5">
          {errors.map((error, index) => (
            <li key={index}>
              <code className="font-mono text-[13px]">{error.path}</code> {error.message}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

/**
 * Triage of one execution: star, review status (new, reviewed, needs work), and cancel while it
 * is pending. Viewers see the star and status, not the controls.
 */
export function ExecutionReviewControls({ execution }: { execution: ReviewedExecution }) {
  const trpc = useTRPC();
  const me = useMe();
  const toast = useToast();
  const queryClient = useQueryClient();
  const canWrite = me.user.role !== "viewer";
  const refresh = async (updated: RouterOutputs["executions"]["get"]) => {
    queryClient.setQueryData(trpc.executions.get.queryKey({ id: execution.id }), updated);
    await queryClient.invalidateQueries({ queryKey: trpc.executions.list.queryKey() });
  };
  const onError = (error: unknown) => toast({ title: "Not changed", description: errorMessage(error), tone: "danger" });
  const review = useMutation(trpc.executions.setReview.mutationOptions({ onSuccess: refresh, onError }));
  const cancel = useMutation(
    trpc.executions.cancel.mutationOptions({
      onSuccess: async (updated) => {
        await refresh(updated);
        await queryClient.invalidateQueries({ queryKey: trpc.executions.stats.queryKey() });
        toast({ title: "Execution cancelled", tone: "success" });
      },
      onError: async (error) => {
        onError(error);
        await queryClient.invalidateQueries({ queryKey: trpc.executions.get.queryKey({ id: execution.id }) });
      },
    }),
  );

  if (!canWrite) {
    return (
      <span className="flex items-center gap-2 text-sm text-gray-600">
        {execution.starred ? <span aria-label="Starred">★</span> : null}
        {REVIEW_LABELS[execution.reviewStatus]}
      </span>
    );
  }
  return (
    <span className="flex flex-wrap items-center gap-2">
      <Button
        type="button"
        variant="ghost"
        size="sm"
        aria-pressed={execution.starred}
        onClick={() => review.mutate({ id: execution.id, starred: !execution.starred })}
        disabled={review.isPending}
        className={execution.starred ? "text-amber-500" : "text-gray-400"}
      >
        <span aria-hidden="true">{execution.starred ? "★" : "☆"}</span>
        <span className="sr-only">{execution.starred ? "Unstar" : "Star"}</span>
      </Button>
      <label className="sr-only" htmlFor={`review-${execution.id}`}>
        Review status
      </label>
      <Select
        id={`review-${execution.id}`}
        value={execution.reviewStatus}
        onChange={(event) => review.mutate({ id: execution.id, reviewStatus: event.target.value as ReviewStatus })}
        disabled={review.isPending}
        className="h-8 w-auto py-0 text-sm"
      >
        {REVIEW_STATUSES.map((status) => (
          <option key={status} value={status}>
            {REVIEW_LABELS[status]}
          </option>
        ))}
      </Select>
      {execution.status === "pending" ? (
        <Button type="button" variant="secondary" size="sm" onClick={() => cancel.mutate({ id: execution.id })} loading={cancel.isPending}>
          Cancel execution
        </Button>
      ) : null}
    </span>
  );
}
