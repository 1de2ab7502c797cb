/**
 * Datasets, their imports and exports, and batch runs, through the real fetch handler: the
 * two-step import with every kind of error, the storage and monthly-execution quotas (refused
 * with the numbers, nothing written, never overshot by parallel requests), cancel, retry of failed
 * cells, the run's exactly-once completion with two workers, the grid's totals and the comparison.
 */
import { batchRunModel, datasetItemModel, executionModel, storedBytes, tenantContext, tenantModel, type TenantRow } from "@sigil/db";
import { afterAll, afterEach, beforeAll, describe, expect, test } from "vitest";
import { ExecutionWorker, type ExecutionProvider } from "../src/index.ts";
import { call, createTenantWithUsers, login, useTestEnv, type CallOptions, type CallResult, type TestEnv } from "./harness.ts";

let env: TestEnv;
beforeAll(async () => {
  env = await useTestEnv();
});
afterAll(() => env.cleanup());

// Workers visit every active tenant: suspend each test's tenants afterwards.
const activeTenants: TenantRow[] = [];
afterEach(async () => {
  for (const tenant of activeTenants.splice(0)) await tenantModel.suspend(tenant.id);
});

interface Workspace {
  tenant: TenantRow;
  as: CallOptions;
}

async function workspace(slug: string): Promise<Workspace> {
  const { tenant } = await createTenantWithUsers(slug);
  activeTenants.push(tenant);
  return { tenant, as: { tenant: slug, cookie: await login(slug, `user@${slug}.test`) } };
}

async function ok<T>(result: Promise<CallResult<T>>): Promise<T> {
  const settled = await result;
  if (settled.error) throw new Error(`${settled.status}: ${settled.error.message}`);
  return settled.data as T;
}

const mutate = <T>(ws: Workspace, path: string, input: unknown) => call<T>("mutation", path, input, ws.as);
const query = <T>(ws: Workspace, path: string, input: unknown) => call<T>("query", path, input, ws.as);

interface Dataset {
  id: string;
  name: string;
}
interface Prompt {
  id: string;
  currentVersion: number;
}
interface Run {
  id: string;
  status: string;
  total: number;
  completedAt: Date | null;
  progress: { byStatus: Record<string, number>; done: number; total: number };
}

const csv = (rows: number) =>
  ["question,expected_output,tags", ...Array.from({ length: rows }, (_, i) => `"What is ${i} + ${i}?",${i + i},"math, row-${i}"`)].join("\n");

async function datasetWithItems(ws: Workspace, name: string, rows: number): Promise<Dataset> {
  const dataset = await ok(mutate<Dataset>(ws, "datasets.create", { name }));
  const preview = await ok(mutate<{ mapping: unknown }>(ws, "datasets.previewImport", { format: "csv", content: csv(rows) }));
  await ok(mutate(ws, "datasets.import", { datasetId: dataset.id, format: "csv", content: csv(rows), mapping: preview.mapping }));
  return dataset;
}

/** A prompt with two versions: v1 asks, v2 answers politely. */
async function twoVersionPrompt(ws: Workspace): Promise<Prompt> {
  const prompt = await ok(mutate<Prompt>(ws, "prompts.create", { name: `p-${Math.random().toString(36).slice(2, 8)}`, template: "Q: {{question}}" }));
  return ok(mutate<Prompt>(ws, "prompts.update", { id: prompt.id, template: "Please answer: {{question}}" }));
}

async function runToEnd(workers: ExecutionWorker[], rounds = 50): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    const ticks = await Promise.all(workers.map((worker) => worker.runOnce()));
    if (ticks.every((tick) => tick.processed === 0 && !tick.more)) return;
  }
}

describe("datasets", () => {
  test("create, list with item counts, rename, items paged, edit, delete one and several, delete the dataset", async () => {
    const ws = await workspace("ds-crud");
    const dataset = await ok(mutate<Dataset>(ws, "datasets.create", { name: "Questions", description: "math" }));
    const duplicate = await mutate(ws, "datasets.create", { name: "Questions" });
    expect(duplicate.status).toBe(409);
    expect(duplicate.error?.message).toBe('A dataset named "Questions" already exists. Choose another name.');

    const added = await ok(
      mutate<{ id: string; position: number }[]>(ws, "datasets.addItems", {
        datasetId: dataset.id,
        items: [{ variables: { q: "one" } }, { variables: { q: "two" }, expectedOutput: "2", tags: ["a"] }, { variables: { q: "three" } }],
      }),
    );
    expect(added.map((item) => item.position)).toEqual([0, 1, 2]);
    const list = await ok(query<{ data: { name: string; itemCount: number }[] }>(ws, "datasets.list", {}));
    expect(list.data).toEqual([expect.objectContaining({ name: "Questions", itemCount: 3 })]);

    const page = await ok(
      query<{ data: { id: string }[]; total: number; totalPages: number }>(ws, "datasets.items", { datasetId: dataset.id, pageSize: 2, page: 2 }),
    );
    expect(page).toMatchObject({ total: 3, totalPages: 2 });
    expect(page.data.map((item) => item.id)).toEqual([added[2]?.id]);

    const edited = await ok(
      mutate<{ variables: unknown; tags: string[] }>(ws, "datasets.updateItem", { datasetId: dataset.id, id: added[0]?.id, tags: ["x", "y"] }),
    );
    expect(edited).toMatchObject({ variables: { q: "one" }, tags: ["x", "y"] });
    expect(await ok(mutate(ws, "datasets.deleteItems", { datasetId: dataset.id, ids: [added[0]?.id, added[1]?.id] }))).toEqual({ deleted: 2 });
    expect((await mutate(ws, "datasets.updateItem", { datasetId: dataset.id, id: added[0]?.id, tags: [] })).status).toBe(404);

    await ok(mutate(ws, "datasets.update", { id: dataset.id, name: "Renamed" }));
    expect(await ok(query(ws, "datasets.get", { id: dataset.id }))).toMatchObject({ name: "Renamed", itemCount: 1 });
    expect(await ok(mutate(ws, "datasets.delete", { id: dataset.id }))).toEqual({ id: dataset.id, deletedItems: 1 });
    expect((await query(ws, "datasets.get", { id: dataset.id })).status).toBe(404);
    expect(await tenantContext.runWithTenant(ws.tenant.id, () => storedBytes())).toBe(0);
  });

  test("import in two steps: preview proposes the mapping and maps 20 rows; import writes all; export reads back", async () => {
    const ws = await workspace("ds-import");
    const dataset = await ok(mutate<Dataset>(ws, "datasets.create", { name: "Fifty" }));
    const preview = await ok(
      mutate<{ columns: string[]; mapping: unknown; rows: unknown[]; totalRows: number; validRows: number; errors: unknown[] }>(ws, "datasets.previewImport", {
        format: "csv",
        content: csv(50),
      }),
    );
    expect(preview.columns).toEqual(["question", "expected_output", "tags"]);
    expect(preview.mapping).toEqual({ variables: { question: "question" }, expectedOutput: "expected_output", tags: "tags" });
    expect(preview).toMatchObject({ totalRows: 50, validRows: 50, errors: [] });
    expect(preview.rows).toHaveLength(20);
    expect(preview.rows[3]).toEqual({ row: 4, variables: { question: "What is 3 + 3?" }, expectedOutput: "6", tags: ["math", "row-3"] });

    expect(await ok(mutate(ws, "datasets.import", { datasetId: dataset.id, format: "csv", content: csv(50), mapping: preview.mapping }))).toEqual({
      imported: 50,
    });
    const exported = await ok(query<{ content: string; items: number; fileName: string }>(ws, "datasets.export", { id: dataset.id, format: "csv" }));
    expect(exported).toMatchObject({ items: 50, fileName: "Fifty.csv" });
    expect(exported.content.split("\n")[0]).toBe("question,expected_output,tags");
    expect(exported.content).toContain('What is 3 + 3?,6,"math, row-3"');

    const jsonl = await ok(query<{ content: string }>(ws, "datasets.export", { id: dataset.id, format: "jsonl" }));
    expect(JSON.parse(jsonl.content.split("\n")[0] ?? "")).toEqual({ question: "What is 0 + 0?", expected_output: "0", tags: ["math", "row-0"] });

    // JSON, JSONL and pasted text, into a chosen variable.
    const json = JSON.stringify([
      { name: "Ada", meta: { age: 36 } },
      { name: "Alan", meta: { age: 41 } },
    ]);
    const jsonPreview = await ok(mutate<{ mapping: unknown; rows: { variables: unknown }[] }>(ws, "datasets.previewImport", { format: "json", content: json }));
    expect(jsonPreview.rows[0]?.variables).toEqual({ name: "Ada", meta: { age: 36 } });
    expect(await ok(mutate(ws, "datasets.import", { datasetId: dataset.id, format: "json", content: json, mapping: jsonPreview.mapping }))).toEqual({
      imported: 2,
    });
    const text = "first line\n\n  second line  \n";
    expect(
      await ok(
        mutate(ws, "datasets.import", {
          datasetId: dataset.id,
          format: "text",
          content: text,
          mapping: { variables: { text: "topic" }, expectedOutput: null, tags: null },
        }),
      ),
    ).toEqual({ imported: 2 });
    const last = await ok(query<{ data: { variables: unknown; position: number }[] }>(ws, "datasets.items", { datasetId: dataset.id, page: 27, pageSize: 2 }));
    expect(last.data.map((item) => [item.position, item.variables])).toEqual([
      [52, { topic: "first line" }],
      [53, { topic: "second line" }],
    ]);
  });

  test.each([
    ["an unreadable CSV", "csv", 'a,b\n"open quote,1', undefined, /^The CSV cannot be read: .*line 2/],
    ["a CSV header with a blank column", "csv", "a,,b\n1,2,3", undefined, /^Column 2 of the CSV header has no name/],
    ["JSON that is not an array", "json", '{"a":1}', undefined, /^The JSON must be an array of objects/],
    ["no rows at all", "text", "\n\n  \n", { variables: { text: "t" }, expectedOutput: null, tags: null }, /^The import has no rows\.$/],
    [
      "a mapping naming a missing column",
      "csv",
      "a,b\n1,2",
      { variables: { c: "c" }, expectedOutput: null, tags: null },
      /^The mapping names columns? the import does not have: "c"\./,
    ],
    [
      "two columns on one variable",
      "csv",
      "a,b\n1,2",
      { variables: { a: "x", b: "x" }, expectedOutput: null, tags: null },
      /Two columns are mapped to the variable "x"/,
    ],
  ])("refuses %s with a 400 that says why, and writes nothing", async (_name, format, content, mapping, message) => {
    const ws = await workspace(`ds-bad-${Math.random().toString(36).slice(2, 8)}`);
    const dataset = await ok(mutate<Dataset>(ws, "datasets.create", { name: "Target" }));
    const refused = await mutate(ws, "datasets.import", {
      datasetId: dataset.id,
      format,
      content,
      mapping: mapping ?? { variables: { a: "a" }, expectedOutput: null, tags: null },
    });
    expect(refused.status).toBe(400);
    expect(refused.error?.message).toMatch(message);
    expect(await tenantContext.runWithTenant(ws.tenant.id, () => datasetItemModel.count())).toBe(0);
  });

  test("per-row errors: the preview lists them with row numbers; the import refuses all rows, naming the first errors", async () => {
    const ws = await workspace("ds-rows");
    const dataset = await ok(mutate<Dataset>(ws, "datasets.create", { name: "Rows" }));
    const longTag = "t".repeat(60);
    const jsonl = [
      '{"q":"fine","tags":["a"]}',
      "{not json",
      "42",
      '{"q":""}',
      `{"q":"tagged","tags":["${longTag}"]}`,
      '{"q":"many","tags":"a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,p,q,r,s,t,u"}',
      '{"q":"ok again"}',
    ].join("\n");
    const preview = await ok(
      mutate<{ errors: { row: number; message: string }[]; validRows: number; errorCount: number; mapping: unknown }>(ws, "datasets.previewImport", {
        format: "jsonl",
        content: jsonl,
      }),
    );
    expect(preview.validRows).toBe(2);
    expect(preview.errors.map((error) => error.row)).toEqual([2, 3, 4, 5, 6]);
    expect(preview.errors[0]?.message).toMatch(/^Line 2 is not valid JSON/);
    expect(preview.errors[1]?.message).toBe("Line 3 is a number, not an object of variables.");
    expect(preview.errors[2]?.message).toBe("Row 4: every mapped variable is empty.");
    expect(preview.errors[3]?.message).toBe(`Row 5: the tag "tttttttttttttttttttt…" has 60 characters; at most 50.`);
    expect(preview.errors[4]?.message).toBe("Row 6: 21 tags; an item has at most 20.");

    const refused = await mutate(ws, "datasets.import", { datasetId: dataset.id, format: "jsonl", content: jsonl, mapping: preview.mapping });
    expect(refused.status).toBe(400);
    expect(refused.error?.message).toMatch(
      /^Nothing was imported: 5 rows have errors\. Line 2 is not valid JSON.* Line 3 is a number.* Row 4: every mapped variable is empty\./,
    );
    expect(await tenantContext.runWithTenant(ws.tenant.id, () => datasetItemModel.count())).toBe(0);
  });

  test("the import's size limit is stated in the message", async () => {
    const ws = await workspace("ds-size");
    const dataset = await ok(mutate<Dataset>(ws, "datasets.create", { name: "Big" }));
    const refused = await mutate(ws, "datasets.import", {
      datasetId: dataset.id,
      format: "text",
      content: "x".repeat(5 * 1024 * 1024 + 1),
      mapping: { variables: { text: "t" }, expectedOutput: null, tags: null },
    });
    expect(refused.status).toBe(400);
    expect(refused.error?.message).toContain("An import is at most 5 MB of text; split larger files.");
  });

  test("a dataset keeps at most its item limit: the append that would pass it is refused whole, naming the numbers", async () => {
    const ws = await workspace("ds-limit");
    const dataset = await ok(mutate<Dataset>(ws, "datasets.create", { name: "Small" }));
    const append = (count: number) =>
      tenantContext.runWithTenant(ws.tenant.id, () =>
        datasetItemModel.appendWithinLimits(
          dataset.id,
          Array.from({ length: count }, (_, i) => ({ variables: { i } })),
          { bytes: 1024 * 1024, items: 5 },
          null,
        ),
      );
    expect(await append(3)).toHaveLength(3);
    await expect(append(3)).rejects.toThrow('Dataset "Small" has 3 items; adding 3 would pass the limit of 5 items per dataset.');
    const results = await Promise.allSettled(Array.from({ length: 4 }, () => append(1)));
    expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(2);
    expect(await tenantContext.runWithTenant(ws.tenant.id, () => datasetItemModel.count())).toBe(5);
  });

  test("storage: items count toward the plan's storage; an import over it is refused with the numbers and nothing is written", async () => {
    const ws = await workspace("ds-storage");
    await tenantModel.update(ws.tenant.id, { limitStorageMb: 1 });
    const dataset = await ok(mutate<Dataset>(ws, "datasets.create", { name: "Heavy" }));
    // 3 rows of ~300 KB: two fit in 1 MB, three do not.
    const big = (n: number) => ["text", ...Array.from({ length: n }, (_, i) => `${i}${"x".repeat(300 * 1024)}`)].join("\n");
    const mapping = { variables: { text: "text" }, expectedOutput: null, tags: null };
    await ok(mutate(ws, "datasets.import", { datasetId: dataset.id, format: "csv", content: big(2), mapping }));
    const used = await tenantContext.runWithTenant(ws.tenant.id, () => storedBytes());
    expect(used).toBeGreaterThan(600 * 1024);
    const refused = await mutate(ws, "datasets.import", { datasetId: dataset.id, format: "csv", content: big(2), mapping });
    expect(refused.status).toBe(403);
    expect(refused.error?.data.quota).toEqual({ resource: "storage", limit: 1024 * 1024, current: used });
    expect(refused.error?.message).toMatch(/^Adding these 2 items \(600\.\d KB\) would exceed the plan's 1\.0 MB of storage \(600\.\d KB used\)\.$/);
    expect(await tenantContext.runWithTenant(ws.tenant.id, () => datasetItemModel.count())).toBe(2);
    // Files share the same storage: an upload that fits beside files alone is refused beside the items.
    const upload = await mutate(ws, "files.upload", {
      name: "f.bin",
      mimeType: "application/octet-stream",
      contentBase64: Buffer.alloc(500 * 1024).toString("base64"),
    });
    expect(upload.status).toBe(403);
    expect(await ok(query(ws, "files.usage", {}))).toMatchObject({ usedBytes: used });
  });
});

describe("batch runs", () => {
  test("two versions over 50 items: one run, 100 executions, progress to completion, the grid with totals, compare", async () => {
    const ws = await workspace("br-grid");
    const dataset = await datasetWithItems(ws, "Fifty", 50);
    const prompt = await twoVersionPrompt(ws);
    const run = await ok(mutate<Run>(ws, "batchRuns.create", { promptId: prompt.id, datasetId: dataset.id, targets: [{ version: 1 }, { version: 2 }] }));
    expect(run).toMatchObject({ status: "running", total: 100 });
    const before = await ok(query<Run>(ws, "batchRuns.get", { id: run.id }));
    expect(before.progress).toEqual({ byStatus: { pending: 100, running: 0, completed: 0, failed: 0, cancelled: 0 }, done: 0, total: 100 });
    expect(await ok(query(ws, "executions.stats", {}))).toMatchObject({ thisMonth: { used: 100 } });

    await runToEnd([new ExecutionWorker({ concurrency: 4, maxPerTick: 30 })]);
    const after = await ok(query<Run>(ws, "batchRuns.get", { id: run.id }));
    expect(after.status).toBe("completed");
    expect(after.completedAt).toBeInstanceOf(Date);
    expect(after.progress).toMatchObject({ done: 100, total: 100 });

    const grid = await ok(
      query<{
        rows: { position: number; cells: { excerpt: string; status: string }[] }[];
        columns: { version: number; totals: { completed: number } }[];
        totalRows: number;
      }>(ws, "batchRuns.results", { id: run.id, pageSize: 10, page: 2 }),
    );
    expect(grid.totalRows).toBe(50);
    expect(grid.rows.map((row) => row.position)).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 18, 19]);
    expect(grid.rows[0]?.cells.map((cell) => cell.excerpt)).toEqual(["Q: What is 10 + 10?", "Please answer: What is 10 + 10?"]);
    expect(grid.columns.map((column) => [column.version, column.totals.completed])).toEqual([
      [1, 50],
      [2, 50],
    ]);

    const compared = await ok(
      query<{ changed: number; rows: { changed: boolean; left: { excerpt: string }; right: { excerpt: string } }[] }>(ws, "batchRuns.compare", {
        leftId: run.id,
        rightId: run.id,
        leftTarget: 0,
        rightTarget: 1,
        pageSize: 5,
      }),
    );
    expect(compared.changed).toBe(50);
    expect(compared.rows[0]).toMatchObject({ changed: true, left: { excerpt: "Q: What is 0 + 0?" }, right: { excerpt: "Please answer: What is 0 + 0?" } });

    // A second run of v1 alone over the same dataset: nothing changed against the first run's v1.
    const again = await ok(mutate<Run>(ws, "batchRuns.create", { promptId: prompt.id, datasetId: dataset.id, targets: [{ version: 1 }] }));
    await runToEnd([new ExecutionWorker()]);
    const same = await ok(query<{ changed: number; totalRows: number }>(ws, "batchRuns.compare", { leftId: run.id, rightId: again.id, changedOnly: true }));
    expect(same).toEqual(expect.objectContaining({ changed: 0, totalRows: 0 }));
    const list = await ok(query<{ data: { id: string }[] }>(ws, "batchRuns.list", { datasetId: dataset.id }));
    expect(list.data.map((entry) => entry.id)).toEqual([again.id, run.id]);
  });

  test("column totals: tokens, cost and mean latency of the latest cells, completed and failed counts", async () => {
    const ws = await workspace("br-totals");
    const dataset = await datasetWithItems(ws, "Three", 3);
    const prompt = await twoVersionPrompt(ws);
    const run = await ok(mutate<Run>(ws, "batchRuns.create", { promptId: prompt.id, datasetId: dataset.id, targets: [{ version: 1 }, { version: 2 }] }));
    // Finish the cells as a worker would, with the measures a provider reports.
    await tenantContext.runWithTenant(ws.tenant.id, async () => {
      for (let i = 0; i < 6; i++) {
        const claimed = await executionModel.claimNextPending({ workerId: "w", leaseMs: 60_000 });
        if (!claimed) throw new Error("nothing to claim");
        const outcome = claimed.targetIndex === 1 && i % 2 === 1 ? { error: "boom" } : { result: `out ${i}` };
        await executionModel.finish(
          claimed.id,
          { ...outcome, inputTokens: 10 * (i + 1), outputTokens: i + 1, costUsd: 0.1, latencyMs: 100 * (i + 1) },
          { workerId: "w", attempt: 1 },
        );
      }
    });
    const grid = await ok(query<{ columns: { totals: Record<string, number | null> }[] }>(ws, "batchRuns.results", { id: run.id }));
    const cells = await tenantContext.runWithTenant(ws.tenant.id, () => batchRunModel.cells(run.id));
    for (const [index, column] of grid.columns.entries()) {
      const mine = cells.filter((cell) => cell.targetIndex === index);
      expect(column.totals).toEqual({
        inputTokens: mine.reduce((sum, cell) => sum + (cell.inputTokens ?? 0), 0),
        outputTokens: mine.reduce((sum, cell) => sum + (cell.outputTokens ?? 0), 0),
        costUsd: 0.3,
        meanLatencyMs: mine.reduce((sum, cell) => sum + (cell.latencyMs ?? 0), 0) / 3,
        completed: mine.filter((cell) => cell.status === "completed").length,
        failed: mine.filter((cell) => cell.status === "failed").length,
        cancelled: 0,
        pending: 0,
      });
    }
    expect(grid.columns.reduce((sum, column) => sum + (column.totals.inputTokens ?? 0), 0)).toBe(210);
  });

  test("quota: a run that would exceed the month is refused before it starts, with the numbers, and writes nothing", async () => {
    const ws = await workspace("br-quota");
    await tenantModel.update(ws.tenant.id, { limitExecutionsPerMonth: 120 });
    const dataset = await datasetWithItems(ws, "Fifty", 50);
    const prompt = await twoVersionPrompt(ws);
    await ok(mutate(ws, "executions.create", { promptId: prompt.id, input: { question: "warm-up" } }));
    const first = await ok(mutate<Run>(ws, "batchRuns.create", { promptId: prompt.id, datasetId: dataset.id, targets: [{ version: 2 }] }));
    expect(first.total).toBe(50);
    const refused = await mutate(ws, "batchRuns.create", { promptId: prompt.id, datasetId: dataset.id, targets: [{ version: 1 }, { version: 2 }] });
    expect(refused.status).toBe(403);
    expect(refused.error?.message).toBe("This run needs 100 executions; the plan allows 120 a month and 51 ran this month (UTC).");
    expect(refused.error?.data.quota).toEqual({ resource: "executions_per_month", limit: 120, current: 51 });
    await tenantContext.runWithTenant(ws.tenant.id, async () => {
      expect(await batchRunModel.count()).toBe(1);
      expect(await executionModel.count()).toBe(51);
      expect(await executionModel.countThisMonth()).toBe(51);
    });
  });

  test("quota: parallel runs never overshoot the month", async () => {
    const ws = await workspace("br-race");
    await tenantModel.update(ws.tenant.id, { limitExecutionsPerMonth: 95 });
    const dataset = await datasetWithItems(ws, "Ten", 10);
    const prompt = await twoVersionPrompt(ws);
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        mutate<Run>(ws, "batchRuns.create", { promptId: prompt.id, datasetId: dataset.id, targets: [{ version: 1 }, { version: 2 }] }),
      ),
    );
    const accepted = results.filter((result) => !result.error);
    const refused = results.filter((result) => result.error);
    expect(accepted).toHaveLength(4);
    for (const result of refused) expect(result.error?.data.quota).toMatchObject({ resource: "executions_per_month", limit: 95 });
    await tenantContext.runWithTenant(ws.tenant.id, async () => {
      expect(await executionModel.count()).toBe(80);
      expect(await executionModel.countThisMonth()).toBe(80);
    });
  });

  test("cancel: pending cells are cancelled at once, a running one finishes, the run stays cancelled", async () => {
    const ws = await workspace("br-cancel");
    const dataset = await datasetWithItems(ws, "Five", 5);
    const prompt = await twoVersionPrompt(ws);
    const run = await ok(mutate<Run>(ws, "batchRuns.create", { promptId: prompt.id, datasetId: dataset.id, targets: [{ version: 1 }] }));
    const claimed = await tenantContext.runWithTenant(ws.tenant.id, () => executionModel.claimNextPending({ workerId: "w", leaseMs: 60_000 }));
    if (!claimed) throw new Error("nothing claimed");
    const cancelled = await ok(mutate<Run>(ws, "batchRuns.cancel", { id: run.id }));
    expect(cancelled.status).toBe("cancelled");
    expect(cancelled.progress.byStatus).toMatchObject({ cancelled: 4, running: 1, pending: 0 });
    const finished = await tenantContext.runWithTenant(ws.tenant.id, () =>
      executionModel.finish(claimed.id, { result: "done" }, { workerId: "w", attempt: 1 }),
    );
    expect(finished.row?.status).toBe("completed");
    expect(finished.batchCompleted).toBeNull();
    expect(await ok(query<Run>(ws, "batchRuns.get", { id: run.id }))).toMatchObject({ status: "cancelled", progress: { done: 5 } });
    expect((await mutate(ws, "batchRuns.cancel", { id: "00000000-0000-4000-8000-000000000000" })).status).toBe(404);
  });

  test("retryFailed: failed cells get new pending executions (counted), the run runs again and completes", async () => {
    const ws = await workspace("br-retry");
    await tenantModel.update(ws.tenant.id, { limitExecutionsPerMonth: 19 });
    const dataset = await datasetWithItems(ws, "Six", 6);
    const prompt = await twoVersionPrompt(ws);
    const run = await ok(mutate<Run>(ws, "batchRuns.create", { promptId: prompt.id, datasetId: dataset.id, targets: [{ version: 1 }] }));
    let calls = 0;
    const flaky: ExecutionProvider = {
      name: "template",
      kind: "test",
      run: async (request) => {
        calls += 1;
        if (String(request.input.question).includes("1 + 1") || String(request.input.question).includes("4 + 4")) throw new Error("rate limited");
        return { output: "fine", usage: null };
      },
    };
    await runToEnd([new ExecutionWorker({ providers: { template: flaky } })]);
    expect(await ok(query<Run>(ws, "batchRuns.get", { id: run.id }))).toMatchObject({
      status: "completed",
      progress: { byStatus: { completed: 4, failed: 2 } },
    });

    // 6 used of 19: retrying 2 fits.
    const retried = await ok(mutate<Run & { retried: number }>(ws, "batchRuns.retryFailed", { id: run.id }));
    expect(retried).toMatchObject({
      retried: 2,
      status: "running",
      completedAt: null,
      progress: { byStatus: { pending: 2, completed: 4, failed: 0 }, total: 6 },
    });
    await runToEnd([new ExecutionWorker()]);
    expect(await ok(query<Run>(ws, "batchRuns.get", { id: run.id }))).toMatchObject({
      status: "completed",
      progress: { byStatus: { completed: 6, failed: 0 } },
    });
    expect(calls).toBe(6);
    const none = await mutate(ws, "batchRuns.retryFailed", { id: run.id });
    expect(none.status).toBe(400);
    expect(none.error?.message).toBe("No cell of this run failed; nothing to retry.");

    // The quota applies to retries too: 14 used of 19 after a second run whose 6 cells all fail.
    const second = await ok(mutate<Run>(ws, "batchRuns.create", { promptId: prompt.id, datasetId: dataset.id, targets: [{ version: 1 }] }));
    await runToEnd([new ExecutionWorker({ providers: { template: { name: "template", kind: "test", run: async () => Promise.reject(new Error("down")) } } })]);
    const refused = await mutate(ws, "batchRuns.retryFailed", { id: second.id });
    expect(refused.status).toBe(403);
    expect(refused.error?.message).toBe("Retrying the failed cells needs 6 executions; the plan allows 19 a month and 14 ran this month (UTC).");
    expect(await ok(query<Run>(ws, "batchRuns.get", { id: second.id }))).toMatchObject({
      status: "completed",
      progress: { byStatus: { failed: 6, pending: 0 } },
    });
  });

  test("completion happens exactly once when two workers finish the last executions at the same time", async () => {
    const ws = await workspace("br-once");
    const dataset = await datasetWithItems(ws, "Forty", 40);
    const prompt = await twoVersionPrompt(ws);
    const run = await ok(mutate<Run>(ws, "batchRuns.create", { promptId: prompt.id, datasetId: dataset.id, targets: [{ version: 1 }, { version: 2 }] }));
    const completions: string[] = [];
    const onEvent = (event: { type: string; batchRunId?: string }) => {
      if (event.type === "batch.completed" && event.batchRunId) completions.push(event.batchRunId);
    };
    await runToEnd([new ExecutionWorker({ concurrency: 3, maxPerTick: 7, onEvent }), new ExecutionWorker({ concurrency: 3, maxPerTick: 7, onEvent })]);
    expect(completions).toEqual([run.id]);
    expect(await ok(query<Run>(ws, "batchRuns.get", { id: run.id }))).toMatchObject({ status: "completed", progress: { done: 80 } });

    // At the model: the two last cells finished in parallel by two claims → one transition.
    const other = await ok(mutate<Run>(ws, "batchRuns.create", { promptId: prompt.id, datasetId: dataset.id, targets: [{ version: 1 }] }));
    const outcomes = await tenantContext.runWithTenant(ws.tenant.id, async () => {
      const claims = [];
      for (let i = 0; i < 40; i++) {
        const claimed = await executionModel.claimNextPending({ workerId: `w${i % 2}`, leaseMs: 60_000 });
        if (claimed) claims.push(claimed);
      }
      return Promise.all(claims.map((claimed) => executionModel.finish(claimed.id, { result: "x" }, { workerId: claimed.claimedBy ?? "", attempt: 1 })));
    });
    expect(outcomes.filter((outcome) => outcome.batchCompleted !== null).map((outcome) => outcome.batchCompleted?.id)).toEqual([other.id]);
  });

  test("bad input: unknown version, unconfigured provider, too many targets, an empty dataset, runs of different datasets", async () => {
    const ws = await workspace("br-bad");
    const dataset = await datasetWithItems(ws, "Two", 2);
    const empty = await ok(mutate<Dataset>(ws, "datasets.create", { name: "Empty" }));
    const prompt = await twoVersionPrompt(ws);
    const create = (input: Record<string, unknown>) => mutate(ws, "batchRuns.create", { promptId: prompt.id, datasetId: dataset.id, ...input });
    const unknownVersion = await create({ targets: [{ version: 9 }] });
    expect(unknownVersion.status).toBe(404);
    expect(unknownVersion.error?.message).toMatch(/has no version 9; its versions are 1 to 2\.$/);
    const provider = await create({ targets: [{ version: 1, provider: "openai", model: "gpt" }] });
    expect(provider.status).toBe(400);
    expect(provider.error?.message).toMatch(/^No provider "openai" is configured for this workspace/);
    const many = await create({ targets: Array.from({ length: 7 }, () => ({ version: 1 })) });
    expect(many.status).toBe(400);
    expect(many.error?.message).toContain("A run has at most 6 targets (grid columns).");
    const twice = await create({ targets: [{ version: 1 }, { version: 1 }] });
    expect(twice.error?.message).toBe("Version 1 on template:mustache is listed twice; each target is a different column.");
    const none = await mutate(ws, "batchRuns.create", { promptId: prompt.id, datasetId: empty.id, targets: [{ version: 1 }] });
    expect(none.error?.message).toBe('Dataset "Empty" has no items; add or import some first.');
    await ok(mutate(ws, "datasets.addItems", { datasetId: empty.id, items: [{ variables: { question: "q" } }] }));
    const a = await ok(create({ targets: [{ version: 1 }] }) as Promise<CallResult<Run>>);
    const b = await ok(mutate<Run>(ws, "batchRuns.create", { promptId: prompt.id, datasetId: empty.id, targets: [{ version: 1 }] }));
    const compared = await query(ws, "batchRuns.compare", { leftId: a.id, rightId: b.id });
    expect(compared.status).toBe(400);
    expect(compared.error?.message).toBe('These runs went over different datasets ("Two" and "Empty"); compare runs of the same dataset.');
    // Deleting the dataset keeps the runs and their results.
    await ok(mutate(ws, "datasets.delete", { id: dataset.id }));
    expect(await ok(query(ws, "batchRuns.get", { id: a.id }))).toMatchObject({ datasetId: null, datasetName: "Two", total: 2 });
    expect(await ok(query<{ totalRows: number }>(ws, "batchRuns.results", { id: a.id }))).toMatchObject({ totalRows: 2 });
  });
});
