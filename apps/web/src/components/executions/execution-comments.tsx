"use client";

import { MAX_COMMENT_LENGTH } from "@sigil/validators";
import { skipToken, useMutation, useQuery, useQueryClient, type QueryKey } from "@tanstack/react-query";
import { useId, useRef, useState, type FormEvent } from "react";
import { useAuthorName } from "@/components/prompts/authors";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import { Textarea } from "@/components/ui/input";
import { RelativeTime } from "@/components/ui/relative-time";
import { useToast } from "@/components/ui/toast";
import { useMe } from "@/components/workspace/workspace-context";
import { cn } from "@/lib/cn";
import { errorMessage } from "@/lib/trpc-errors";
import { useTRPC } from "@/trpc/client";
import { outputPieces, selectionIn, type Anchor } from "./review";

/** What a thread of comments is about: one execution's output, or a prompt as a whole. */
export type CommentTarget = { executionId: string } | { promptId: string };

/** A comment of either kind, as the thread shows it. */
interface CommentRow {
  id: string;
  body: string;
  anchorStart: number | null;
  anchorEnd: number | null;
  anchorText: string | null;
  /** The prompt's version when the comment was written (comments on a prompt). */
  promptVersion: number | null;
  createdBy: string | null;
  createdAt: Date;
  updatedAt: Date;
}

/** The query key of the target's comments: what a change invalidates. */
function useCommentsKey(target: CommentTarget): QueryKey {
  const trpc = useTRPC();
  return "executionId" in target
    ? trpc.comments.list.queryKey({ executionId: target.executionId })
    : trpc.comments.listForPrompt.queryKey({ promptId: target.promptId });
}

/** The target's comments, oldest first, and the query key that refreshes them. */
function useComments(target: CommentTarget): { data: CommentRow[] | undefined; error: unknown; queryKey: QueryKey } {
  const trpc = useTRPC();
  const queryKey = useCommentsKey(target);
  const execution = useQuery(trpc.comments.list.queryOptions("executionId" in target ? { executionId: target.executionId } : skipToken));
  const prompt = useQuery(trpc.comments.listForPrompt.queryOptions("promptId" in target ? { promptId: target.promptId } : skipToken));
  return "executionId" in target
    ? { data: execution.data?.map((row) => ({ ...row, promptVersion: null })), error: execution.error, queryKey }
    : { data: prompt.data?.map((row) => ({ ...row, anchorStart: null, anchorEnd: null, anchorText: null })), error: prompt.error, queryKey };
}

/**
 * The output with its anchored comments highlighted (hover shows them), and "Comment on
 * selection" once text of it is selected: the comment is anchored to that span.
 */
export function CommentableOutput({ executionId, output }: { executionId: string; output: string }) {
  const me = useMe();
  const comments = useComments({ executionId });
  const container = useRef<HTMLPreElement>(null);
  const [selection, setSelection] = useState<Anchor | null>(null);
  const [commenting, setCommenting] = useState<Anchor | null>(null);
  const [active, setActive] = useState<string | null>(null);
  const anchors = (comments.data ?? []).map((comment) => ({ id: comment.id, start: comment.anchorStart, end: comment.anchorEnd }));
  const byId = new Map((comments.data ?? []).map((comment) => [comment.id, comment]));
  const readSelection = () => setSelection(container.current ? selectionIn(container.current, window.getSelection()) : null);

  return (
    <div>
      <pre
        ref={container}
        onMouseUp={readSelection}
        onKeyUp={readSelection}
        data-testid="execution-output"
        className="max-h-[32rem] overflow-auto font-mono text-[13px] leading-6 whitespace-pre-wrap text-gray-900"
      >
        {outputPieces(output, anchors).map((piece, index) =>
          piece.commentIds.length === 0 ? (
            piece.text
          ) : (
            <mark
              key={index}
              title={piece.commentIds.map((id) => byId.get(id)?.body ?? "").join("\n—\n")}
              onMouseEnter={() => setActive(piece.commentIds[0] ?? null)}
              onMouseLeave={() => setActive(null)}
              data-comment-ids={piece.commentIds.join(" ")}
              className={cn("rounded-sm bg-amber-100 text-inherit", piece.commentIds.includes(active ?? "") && "bg-amber-300")}
            >
              {piece.text}
            </mark>
          ),
        )}
      </pre>
      {me.user.role !== "viewer" && selection ? (
        <div className="mt-3 flex items-center gap-3">
          <Button type="button" size="sm" variant="secondary" onClick={() => setCommenting(selection)}>
            Comment on selection
          </Button>
          <span className="truncate text-xs text-gray-500">“{selection.text.length > 60 ? `${selection.text.slice(0, 60)}…` : selection.text}”</span>
        </div>
      ) : null}
      <Dialog open={commenting !== null} onClose={() => setCommenting(null)} title="Comment on the selection">
        {commenting ? (
          <>
            <blockquote className="mb-3 border-l-4 border-amber-300 bg-amber-50 px-3 py-2 font-mono text-[13px] whitespace-pre-wrap text-gray-800">
              {commenting.text}
            </blockquote>
            <CommentForm
              target={{ executionId }}
              anchor={commenting}
              onDone={() => {
                setCommenting(null);
                setSelection(null);
              }}
            />
          </>
        ) : null}
      </Dialog>
    </div>
  );
}

/**
 * A thread of comments, oldest first: on an execution (anchored ones quote their span) or on a
 * prompt (each says the version it was written on); authors edit or delete their own (admins any).
 */
export function CommentThread({ target, emptyHint }: { target: CommentTarget; emptyHint: string }) {
  const me = useMe();
  const headingId = useId();
  const comments = useComments(target);
  const list = comments.data ?? [];
  return (
    <section aria-labelledby={headingId} className="rounded-lg border border-gray-200 bg-white shadow-xs">
      <div className="border-b border-gray-100 px-5 py-3.5">
        <h2 id={headingId} className="text-base font-semibold text-gray-900">
          Comments{list.length > 0 ? <span className="ml-1.5 text-sm font-normal text-gray-500">{list.length}</span> : null}
        </h2>
      </div>
      {comments.error ? (
        <p className="px-5 py-4 text-sm text-red-600">{errorMessage(comments.error)}</p>
      ) : list.length === 0 ? (
        <p className="px-5 py-4 text-sm text-gray-500">No comments yet.{me.user.role !== "viewer" ? ` ${emptyHint}` : ""}</p>
      ) : (
        <ul className="divide-y divide-gray-100">
          {list.map((comment) => (
            <CommentItem key={comment.id} comment={comment} queryKey={comments.queryKey} />
          ))}
        </ul>
      )}
      {me.user.role !== "viewer" ? (
        <div className="border-t border-gray-100 px-5 py-4">
          <CommentForm target={target} />
        </div>
      ) : null}
    </section>
  );
}

/** The execution's comments (the execution page). */
export function ExecutionComments({ executionId }: { executionId: string }) {
  return <CommentThread target={{ executionId }} emptyHint="Select text in the result to comment on it, or write below." />;
}

function CommentItem({ comment, queryKey }: { comment: CommentRow; queryKey: QueryKey }) {
  const trpc = useTRPC();
  const me = useMe();
  const toast = useToast();
  const queryClient = useQueryClient();
  const authorName = useAuthorName();
  const [editing, setEditing] = useState(false);
  const [body, setBody] = useState(comment.body);
  const invalidate = () => queryClient.invalidateQueries({ queryKey });
  const onError = (error: unknown) => toast({ title: "Not changed", description: errorMessage(error), tone: "danger" });
  const update = useMutation(trpc.comments.update.mutationOptions({ onSuccess: async () => (await invalidate(), setEditing(false)), onError }));
  const remove = useMutation(trpc.comments.delete.mutationOptions({ onSuccess: invalidate, onError }));
  const mine = comment.createdBy === me.user.id || me.user.role === "admin";
  return (
    <li className="space-y-1.5 px-5 py-3" data-testid="comment">
      <div className="flex items-baseline justify-between gap-3 text-xs text-gray-500">
        <span>
          <span className="font-medium text-gray-800">{comment.createdBy === null ? "Imported" : authorName(comment.createdBy)}</span> ·{" "}
          <RelativeTime value={comment.createdAt} />
          {comment.promptVersion !== null ? ` · on v${comment.promptVersion}` : ""}
          {comment.updatedAt.getTime() !== comment.createdAt.getTime() ? " · edited" : ""}
        </span>
        {mine && !editing ? (
          <span className="flex gap-1">
            <Button type="button" size="sm" variant="ghost" className="h-6 px-2 text-xs" onClick={() => setEditing(true)}>
              Edit
            </Button>
            <Button
              type="button"
              size="sm"
              variant="ghost"
              className="h-6 px-2 text-xs text-red-700"
              onClick={() => remove.mutate({ id: comment.id })}
              loading={remove.isPending}
            >
              Delete
            </Button>
          </span>
        ) : null}
      </div>
      {comment.anchorText !== null ? (
        <blockquote
          className={cn(
            "border-l-4 px-3 py-1 font-mono text-[13px] whitespace-pre-wrap",
            comment.anchorStart === null ? "border-gray-200 text-gray-500" : "border-amber-300 bg-amber-50 text-gray-800",
          )}
        >
          {comment.anchorText}
        </blockquote>
      ) : null}
      {editing ? (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            update.mutate({ id: comment.id, body });
          }}
          className="space-y-2"
        >
          <Textarea aria-label="Edit the comment" rows={3} value={body} onChange={(event) => setBody(event.target.value)} maxLength={MAX_COMMENT_LENGTH} />
          <div className="flex justify-end gap-2">
            <Button type="button" size="sm" variant="ghost" onClick={() => (setEditing(false), setBody(comment.body))}>
              Cancel
            </Button>
            <Button type="submit" size="sm" loading={update.isPending}>
              Save
            </Button>
          </div>
        </form>
      ) : (
        <p className="text-sm whitespace-pre-wrap text-gray-900">{comment.body}</p>
      )}
    </li>
  );
}

function CommentForm({ target, anchor, onDone }: { target: CommentTarget; anchor?: Anchor; onDone?: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [body, setBody] = useState("");
  const queryKey = useCommentsKey(target);
  const onSuccess = async () => {
    setBody("");
    await queryClient.invalidateQueries({ queryKey });
    onDone?.();
  };
  const onExecution = useMutation(trpc.comments.create.mutationOptions({ onSuccess }));
  const onPrompt = useMutation(trpc.comments.createForPrompt.mutationOptions({ onSuccess }));
  const create = "executionId" in target ? onExecution : onPrompt;
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if ("executionId" in target) onExecution.mutate({ executionId: target.executionId, body, ...(anchor ? { anchor } : {}) });
    else onPrompt.mutate({ promptId: target.promptId, body });
  };
  return (
    <form onSubmit={submit} className="space-y-2">
      <Field label={anchor ? "Comment" : "Add a comment"} error={create.isError ? errorMessage(create.error) : undefined}>
        {(props) => <Textarea {...props} rows={3} value={body} onChange={(event) => setBody(event.target.value)} maxLength={MAX_COMMENT_LENGTH} />}
      </Field>
      <div className="flex justify-end">
        <Button type="submit" size="sm" loading={create.isPending} disabled={body.trim() === ""}>
          Comment
        </Button>
      </div>
    </form>
  );
}
