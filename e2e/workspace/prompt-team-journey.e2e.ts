import { createHmac } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import { expect, test } from "@playwright/test";
import { startFakeAnthropic } from "../../packages/api/test/fakes/anthropic.ts";
import { startFakeOpenAI } from "../../packages/api/test/fakes/openai.ts";
import type { FakeProvider } from "../../packages/api/test/fakes/server.ts";
import { adminClient, DEMO, FAKE_PORTS, workspaceClient } from "../support/env.ts";
import { saveScreenshot, signInOnPage } from "../support/pages.ts";

/**
 * What a prompt team comes for, end to end, as a new user tries it: import a 50-row CSV dataset,
 * run two versions of a prompt over it, one on a local OpenAI-compatible server and one on the
 * Anthropic API (both local fakes speaking the real wire formats), read the grid with tokens and
 * cost, compare the two columns, comment on an output, and receive the signed `batch.completed`
 * webhook on a local receiver. The e2e server's worker does the running and the sending.
 */
const STAMP = Date.now().toString(36);
const OPENAI = `local-${STAMP}`;
const ANTHROPIC = `claude-${STAMP}`;
const OPENAI_KEY = `sk-local-${STAMP}`;
const ANTHROPIC_KEY = `sk-ant-${STAMP}`;
const HOOK = `team-${STAMP}`;
const DATASET = `Support questions ${STAMP}`;
const PROMPT = `Order status answer ${STAMP}`;
const CSV = ["question,expected_output,tags", ...Array.from({ length: 50 }, (_, i) => `"Where is order ${i}?",On its way,"orders, row-${i}"`)].join("\n");

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

const received: Received[] = [];
let receiver: Server;
let openai: FakeProvider;
let anthropic: FakeProvider;
let secret = "";

/** As docs/webhooks.md tells a receiver: HMAC-SHA256 of "<t>.<raw body>" with the webhook's secret. */
function signatureValid(request: Received): boolean {
  const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(request.headers["sigil-signature"]));
  if (!match) return false;
  return createHmac("sha256", secret).update(`${match[1]}.${request.body}`).digest("hex") === match[2];
}

test.describe.configure({ mode: "serial" });

test.beforeAll(async () => {
  openai = await startFakeOpenAI({ port: FAKE_PORTS.openai, apiKey: OPENAI_KEY });
  anthropic = await startFakeAnthropic({ port: FAKE_PORTS.anthropic, apiKey: ANTHROPIC_KEY });
  receiver = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      received.push({ headers: request.headers, body: Buffer.concat(chunks).toString("utf8") });
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(FAKE_PORTS.webhookReceiver, "127.0.0.1", resolve));

  // What an operator and a workspace admin set up once: prices for the local models, the two
  // providers, the webhook, and a prompt with two versions.
  const admin = await adminClient();
  await admin.admin.setPrice.mutate({ providerKind: "openai-compatible", model: "fake-large", inputUsdPerMillion: 1, outputUsdPerMillion: 2 });
  await admin.admin.setPrice.mutate({ providerKind: "anthropic", model: "fake-large", inputUsdPerMillion: 3, outputUsdPerMillion: 15 });
  const acme = await workspaceClient("acme");
  await acme.settings.saveProvider.mutate({
    identifier: OPENAI,
    kind: "openai-compatible",
    baseUrl: `${openai.url}/v1`,
    apiKey: OPENAI_KEY,
    defaultModel: "fake-large",
  });
  await acme.settings.saveProvider.mutate({
    identifier: ANTHROPIC,
    kind: "anthropic",
    baseUrl: anthropic.url,
    apiKey: ANTHROPIC_KEY,
    defaultModel: "fake-large",
  });
  const hook = await acme.settings.saveWebhook.mutate({
    identifier: HOOK,
    url: `http://127.0.0.1:${FAKE_PORTS.webhookReceiver}/sigil`,
    events: ["batch.completed"],
  });
  secret = hook.secret ?? "";
  const prompt = await acme.prompts.create.mutate({ name: PROMPT, template: "Answer the customer: {{question}}" });
  await acme.prompts.update.mutate({ id: prompt.id, template: "Answer the customer briefly and kindly: {{question}}" });
});

test.afterAll(async () => {
  const acme = await workspaceClient("acme");
  for (const identifier of [OPENAI, ANTHROPIC]) await acme.settings.delete.mutate({ type: "provider", identifier }).catch(() => undefined);
  await acme.settings.delete.mutate({ type: "webhook", identifier: HOOK }).catch(() => undefined);
  receiver.closeAllConnections();
  await new Promise<void>((resolve) => receiver.close(() => resolve()));
  await Promise.all([openai.close(), anthropic.close()]);
});

test("import a 50-row CSV, run two versions on two providers, read tokens and cost, compare, comment, receive batch.completed", async ({ page }) => {
  expect(secret).toMatch(/^whsec_/);
  await page.goto("/datasets");
  await signInOnPage(page, DEMO.acme.email, DEMO.acme.password);
  await page.getByLabel("Name").fill(DATASET);
  await page.getByRole("button", { name: "Create dataset" }).click();
  await expect(page.getByRole("heading", { name: DATASET })).toBeVisible();

  await page.getByRole("button", { name: "Import" }).click();
  const importDialog = page.getByRole("dialog", { name: "Import items" });
  await importDialog.getByLabel("File").setInputFiles({ name: "questions.csv", mimeType: "text/csv", buffer: Buffer.from(CSV) });
  await importDialog.getByRole("button", { name: "Preview" }).click();
  await expect(importDialog.getByRole("status").filter({ hasText: "50 rows read: 50 can be imported, 0 have errors." })).toBeVisible();
  await importDialog.getByRole("button", { name: "Import 50 items" }).click();
  await expect(page.getByText("50 items imported")).toBeVisible();

  // Column 1: version 1 on the OpenAI-compatible server; column 2: version 2 on Anthropic.
  await page.getByRole("button", { name: "Run over dataset" }).click();
  const runDialog = page.getByRole("dialog", { name: "Run over a dataset" });
  await runDialog.getByLabel("Prompt").selectOption({ label: PROMPT });
  await runDialog.getByLabel("Column 1 version").selectOption("1");
  await runDialog.getByLabel("Column 1 provider").selectOption(OPENAI);
  await runDialog.getByRole("button", { name: "Add column" }).click();
  await runDialog.getByLabel("Column 2 version").selectOption("2");
  await runDialog.getByLabel("Column 2 provider").selectOption(ANTHROPIC);
  await runDialog.getByRole("button", { name: "Start run" }).click();

  await expect(page.getByRole("status").filter({ hasText: "100 of 100 done" })).toBeVisible({ timeout: 90_000 });
  expect(openai.generations()).toHaveLength(50);
  expect(anthropic.generations()).toHaveLength(50);
  // Every cell with its tokens and cost; totals per column.
  const firstOpenAI = page.getByRole("link", { name: "Open the execution of row 1, column 1" });
  await expect(firstOpenAI).toContainText("echo: Answer the customer: Where is order 0?");
  await expect(firstOpenAI).toContainText(/\d+\+\d+ tokens · \$/);
  await expect(page.getByRole("link", { name: "Open the execution of row 1, column 2" })).toContainText(
    "echo: Answer the customer briefly and kindly: Where is order 0?",
  );
  for (const column of [0, 1]) {
    await expect(page.getByTestId(`totals-${column}`)).toContainText("50 completed · 0 failed");
    await expect(page.getByTestId(`totals-${column}`)).toContainText(/[1-9]\d* tokens · \$0\.\d+/);
  }
  await saveScreenshot(page, "workspace-journey-grid");

  await page.getByRole("link", { name: "Compare side by side" }).click();
  await expect(page.getByRole("heading", { name: "Compare runs" })).toBeVisible();
  await expect(page.getByText(/50 of 50 items changed/)).toBeVisible();
  await page.goBack();

  // A comment on one output.
  await page.getByRole("link", { name: "Open the execution of row 3, column 2" }).click();
  await expect(page.getByRole("region", { name: "Result" })).toContainText("Where is order 2?");
  await page.getByLabel("Add a comment").fill("Too formal for a delivery question.");
  await page.getByRole("button", { name: "Comment", exact: true }).last().click();
  await expect(page.getByTestId("comment").filter({ hasText: "Too formal for a delivery question." })).toBeVisible();

  // The worker delivers batch.completed, signed with the webhook's secret.
  await expect.poll(() => received.filter((request) => request.headers["sigil-event"] === "batch.completed").length, { timeout: 60_000 }).toBe(1);
  const delivery = received.find((request) => request.headers["sigil-event"] === "batch.completed");
  if (!delivery) throw new Error("No batch.completed delivery arrived.");
  expect(signatureValid(delivery)).toBe(true);
  const event = JSON.parse(delivery.body) as { type: string; data: { dataset: { name: string }; totals: Record<string, number> } };
  expect(event.type).toBe("batch.completed");
  expect(event.data.dataset.name).toBe(DATASET);
  expect(event.data.totals).toMatchObject({ executions: 100, completed: 100, failed: 0 });
  expect(event.data.totals.costUsd).toBeGreaterThan(0);
});
