import { describe, expect, test } from "vitest";
import { executionEventData, truncateText, WEBHOOK_TEXT_LIMIT } from "./webhook-events.ts";

describe("webhook event payloads", () => {
  test("texts are cut at the limit, never inside a surrogate pair", () => {
    expect(truncateText("abc", 3)).toEqual({ text: "abc", truncated: false });
    expect(truncateText("abcd", 3)).toEqual({ text: "abc", truncated: true });
    expect(truncateText("ab😀c", 3)).toEqual({ text: "ab", truncated: true });
    expect(truncateText("a".repeat(WEBHOOK_TEXT_LIMIT + 1)).text).toHaveLength(WEBHOOK_TEXT_LIMIT);
  });

  test("an execution's result is cut at 8,192 characters and says so", () => {
    const base = {
      id: "e1",
      promptId: "p1",
      promptVersion: 3,
      deploymentId: "d1",
      provider: "template",
      model: "m",
      status: "completed",
      error: null,
      inputTokens: 5,
      outputTokens: 7,
      costUsd: 0.25,
      latencyMs: 12,
      valid: true,
      batchRunId: null,
      createdAt: new Date("2026-01-01T00:00:00Z"),
      completedAt: new Date("2026-01-01T00:00:01Z"),
    };
    const long = executionEventData({ ...base, result: "x".repeat(10_000) }, { prompt: "greet", deployment: "prod" });
    expect(long).toMatchObject({
      id: "e1",
      prompt: { id: "p1", name: "greet", version: 3 },
      deployment: { id: "d1", name: "prod" },
      resultTruncated: true,
      error: null,
      errorTruncated: false,
      tokens: { input: 5, output: 7 },
      costUsd: 0.25,
      latencyMs: 12,
      completedAt: "2026-01-01T00:00:01.000Z",
    });
    expect(long.result).toBe("x".repeat(8_192));
    const short = executionEventData({ ...base, deploymentId: null, result: "hi" }, { prompt: "greet", deployment: null });
    expect(short).toMatchObject({ result: "hi", resultTruncated: false, deployment: null });
  });
});
