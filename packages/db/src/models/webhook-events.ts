import { eq, sql } from "drizzle-orm";
import { sumOf } from "../engine/dialect.ts";
import type { Session } from "../engine/session.ts";

/** The events a webhook can subscribe to (mirrored by WEBHOOK_EVENTS in @sigil/validators, held equal by a test in @sigil/api). */
export const WEBHOOK_EVENT_TYPES = ["execution.completed", "execution.failed", "batch.completed"] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];
/** "Send test event": delivered to one webhook whatever it subscribes to. */
export const WEBHOOK_TEST_EVENT = "ping";
export type WebhookEventName = WebhookEventType | typeof WEBHOOK_TEST_EVENT;

/**
 * An execution's result or error goes into its event up to this many characters (UTF-16 code
 * units, a surrogate pair is never split); `resultTruncated` / `errorTruncated` say when it was
 * cut. The whole result stays readable through the API.
 */
export const WEBHOOK_TEXT_LIMIT = 8_192;

export function isWebhookEventType(value: unknown): value is WebhookEventType {
  return typeof value === "string" && (WEBHOOK_EVENT_TYPES as readonly string[]).includes(value);
}

/** `text` cut to `limit` characters, never between the two halves of a surrogate pair. */
export function truncateText(text: string, limit = WEBHOOK_TEXT_LIMIT): { text: string; truncated: boolean } {
  if (text.length <= limit) return { text, truncated: false };
  let end = limit;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return { text: text.slice(0, end), truncated: true };
}

/** The execution as its finished row says, for `execution.completed` / `execution.failed`. */
export interface ExecutionEventSource {
  id: string;
  promptId: string;
  promptVersion: number;
  deploymentId: string | null;
  provider: string;
  model: string;
  status: string;
  result: string | null;
  error: string | null;
  inputTokens: number | null;
  outputTokens: number | null;
  costUsd: number | null;
  latencyMs: number | null;
  valid: boolean | null;
  batchRunId: string | null;
  createdAt: Date;
  completedAt: Date | null;
}

/** The `data` of an execution event (docs/webhooks.md lists the fields). */
export function executionEventData(execution: ExecutionEventSource, names: { prompt: string | null; deployment: string | null }): Record<string, unknown> {
  const result = execution.result === null ? null : truncateText(execution.result);
  const error = execution.error === null ? null : truncateText(execution.error);
  return {
    id: execution.id,
    prompt: { id: execution.promptId, name: names.prompt, version: execution.promptVersion },
    deployment: execution.deploymentId === null ? null : { id: execution.deploymentId, name: names.deployment },
    provider: execution.provider,
    model: execution.model,
    status: execution.status,
    result: result?.text ?? null,
    resultTruncated: result?.truncated ?? false,
    error: error?.text ?? null,
    errorTruncated: error?.truncated ?? false,
    tokens: { input: execution.inputTokens, output: execution.outputTokens },
    costUsd: execution.costUsd,
    latencyMs: execution.latencyMs,
    valid: execution.valid,
    batchRunId: execution.batchRunId,
    createdAt: execution.createdAt.toISOString(),
    completedAt: execution.completedAt?.toISOString() ?? null,
  };
}

/** Reads the prompt's and deployment's names inside the caller's session. */
export async function readExecutionEventData({ db, t }: Session, execution: ExecutionEventSource): Promise<Record<string, unknown>> {
  const [prompt] = await db.select({ name: t.prompts.name }).from(t.prompts).where(eq(t.prompts.id, execution.promptId));
  const [deployment] =
    execution.deploymentId === null
      ? []
      : await db.select({ name: t.deployments.name }).from(t.deployments).where(eq(t.deployments.id, execution.deploymentId));
  return executionEventData(execution, { prompt: prompt?.name ?? null, deployment: deployment?.name ?? null });
}

/**
 * The `data` of `batch.completed`, read inside the caller's session (the run's completion):
 * the run, its prompt and dataset, and totals over its executions. Null if the run does not exist.
 */
export async function readBatchCompletedEventData({ db, t }: Session, runId: string): Promise<Record<string, unknown> | null> {
  const { batchRuns, executions, prompts } = t;
  const [run] = await db.select().from(batchRuns).where(eq(batchRuns.id, runId));
  if (!run) return null;
  const [prompt] = await db.select({ name: prompts.name }).from(prompts).where(eq(prompts.id, run.promptId));
  const totals = await db
    .select({
      status: executions.status,
      n: sql<number>`count(*)`.mapWith(Number),
      inputTokens: sumOf(executions.inputTokens),
      outputTokens: sumOf(executions.outputTokens),
      costUsd: sumOf(executions.costUsd),
    })
    .from(executions)
    .where(eq(executions.batchRunId, runId))
    .groupBy(executions.status);
  const byStatus: Record<string, number> = { completed: 0, failed: 0, cancelled: 0, pending: 0, running: 0 };
  let inputTokens = 0;
  let outputTokens = 0;
  let costUsd = 0;
  for (const row of totals) {
    byStatus[row.status] = row.n;
    inputTokens += row.inputTokens;
    outputTokens += row.outputTokens;
    costUsd += row.costUsd;
  }
  return {
    runId: run.id,
    name: run.name,
    status: run.status,
    prompt: { id: run.promptId, name: prompt?.name ?? null },
    dataset: { id: run.datasetId, name: run.datasetName },
    targets: run.targets.map((target) => ({ version: target.version, provider: target.provider, model: target.model })),
    totals: { executions: run.total, ...byStatus, inputTokens, outputTokens, costUsd },
    createdAt: run.createdAt.toISOString(),
    completedAt: run.completedAt?.toISOString() ?? null,
  };
}
