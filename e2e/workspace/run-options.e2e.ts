import { expect, test } from "@playwright/test";
import { startFakeOpenAI } from "../../packages/api/test/fakes/openai.ts";
import type { FakeProvider } from "../../packages/api/test/fakes/server.ts";
import { DEMO, FAKE_PORTS, workspaceClient } from "../support/env.ts";
import { signInOnPage } from "../support/pages.ts";

/**
 * Per-run provider options in the browser (apps/web/src/components/providers/provider-options.ts):
 * the Run dialog refuses an option the provider's kind does not take before anything is created,
 * keeps typed options in its draft, sends valid ones to the provider, the execution page shows
 * them, and "Run again" starts from them.
 */
const STAMP = Date.now().toString(36);
const IDENTIFIER = `compat-${STAMP}`;
const KEY = `sk-options-${STAMP}`;
let fake: FakeProvider;
let promptId = "";

test.beforeAll(async () => {
  fake = await startFakeOpenAI({ port: FAKE_PORTS.openai, apiKey: KEY });
  const acme = await workspaceClient("acme");
  await acme.settings.saveProvider.mutate({
    identifier: IDENTIFIER,
    kind: "openai-compatible",
    baseUrl: `${fake.url}/v1`,
    apiKey: KEY,
    defaultModel: "fake-large",
  });
  promptId = (await acme.prompts.create.mutate({ name: `Options run ${STAMP}`, template: "Greet {{customer}}." })).id;
});

test.afterAll(async () => {
  const acme = await workspaceClient("acme");
  await acme.settings.delete.mutate({ type: "provider", identifier: IDENTIFIER }).catch(() => undefined);
  await fake.close();
});

test("options in the Run dialog: an unknown one is refused, valid ones reach the provider and the execution page, Run again keeps them", async ({ page }) => {
  const acme = await workspaceClient("acme");
  await page.goto(`/prompts/${promptId}`);
  await signInOnPage(page, DEMO.acme.email, DEMO.acme.password);
  await page.getByRole("button", { name: "Run", exact: true }).click();
  const run = page.getByRole("dialog", { name: /^Run “/ });
  // The template provider takes no options: no field until a model provider is chosen.
  await expect(run.getByLabel("Options")).toHaveCount(0);
  await run.getByLabel("Provider", { exact: true }).selectOption(IDENTIFIER);
  const options = run.getByLabel("Options");
  await expect(run.getByText("A JSON object under the provider's own names: temperature, top_p, max_tokens, stop,")).toBeVisible();

  // Escape asks, and a reload keeps the typed options in the draft.
  await options.fill('{"temprature": 0.2}');
  await page.keyboard.press("Escape");
  const discard = page.getByRole("dialog", { name: "Discard unsaved changes?" });
  await discard.getByRole("button", { name: "Stay" }).click();
  page.on("dialog", (dialog) => void dialog.accept());
  await page.reload();
  await page.getByRole("button", { name: "Run", exact: true }).click();
  await expect(run.getByText("Draft restored")).toBeVisible();
  await expect(options).toHaveValue('{"temprature": 0.2}');

  await run.getByLabel("customer").fill("Ada");
  await run.getByRole("button", { name: "Start execution" }).click();
  await expect(
    run.getByText("Options for a provider of kind openai-compatible are not valid: unknown option temprature (allowed: temperature, top_p,"),
  ).toBeVisible();
  await expect(options).toHaveAttribute("aria-invalid", "true");
  await expect(run).toBeVisible();
  expect((await acme.executions.list.query({ promptId })).data).toHaveLength(0);

  await options.fill('{"temperature": 0.2, "max_tokens": 50}');
  await expect(options).not.toHaveAttribute("aria-invalid");
  await run.getByRole("button", { name: "Start execution" }).click();
  await expect(page.getByRole("region", { name: "Result" })).toContainText("echo: Greet Ada.", { timeout: 30_000 });
  const details = page.getByRole("complementary", { name: "Details" });
  await expect(details).toContainText('{ "temperature": 0.2, "max_tokens": 50 }');
  expect(fake.generations().at(-1)?.body).toMatchObject({ model: "fake-large", temperature: 0.2, max_tokens: 50 });
  const first = (await acme.executions.list.query({ promptId })).data;
  expect(first).toHaveLength(1);
  expect(first[0]?.options).toEqual({ temperature: 0.2, max_tokens: 50 });

  await page.getByRole("link", { name: "Run again" }).click();
  await expect(page.getByLabel("Options")).toHaveValue('{\n  "temperature": 0.2,\n  "max_tokens": 50\n}');
  await page.getByLabel("Options").fill('{"temperature": 0.7}');
  await page.getByRole("button", { name: "Start execution" }).click();
  await expect(page.getByRole("complementary", { name: "Details" })).toContainText('{ "temperature": 0.7 }', { timeout: 30_000 });
  const both = (await acme.executions.list.query({ promptId })).data;
  expect(both.map((execution) => execution.options)).toEqual([{ temperature: 0.7 }, { temperature: 0.2, max_tokens: 50 }]);
});

test("options per column of a dataset run, and a deployment's options overridden on Start execution", async ({ page }) => {
  const acme = await workspaceClient("acme");
  const prompt = await acme.prompts.create.mutate({ name: `Options batch ${STAMP}`, template: "Welcome {{customer}}." });
  const dataset = await acme.datasets.create.mutate({ name: `Options customers ${STAMP}` });
  await acme.datasets.addItems.mutate({ datasetId: dataset.id, items: [{ variables: { customer: "Ada" } }, { variables: { customer: "Grace" } }] });

  await page.goto(`/prompts/${prompt.id}`);
  await signInOnPage(page, DEMO.acme.email, DEMO.acme.password);
  await page.getByRole("button", { name: "Run over dataset" }).click();
  const run = page.getByRole("dialog", { name: "Run over a dataset" });
  await run.getByLabel("Dataset").selectOption(dataset.id);
  await expect(run.getByLabel("Column 1 options")).toHaveCount(0);
  await run.getByLabel("Column 1 provider").selectOption(IDENTIFIER);
  await run.getByLabel("Column 1 options").fill('{"temprature": 1}');
  await run.getByRole("button", { name: "Start run" }).click();
  await expect(run.getByText("Options for a provider of kind openai-compatible are not valid: unknown option temprature")).toBeVisible();
  expect((await acme.batchRuns.list.query({ promptId: prompt.id })).data).toHaveLength(0);

  await run.getByLabel("Column 1 options").fill('{"temperature": 0.3}');
  const before = fake.generations().length;
  await run.getByRole("button", { name: "Start run" }).click();
  await expect(page.getByRole("status").filter({ hasText: "2 of 2 done" })).toBeVisible({ timeout: 60_000 });
  const sent = fake.generations().slice(before);
  expect(sent.map((request) => request.body)).toEqual([expect.objectContaining({ temperature: 0.3 }), expect.objectContaining({ temperature: 0.3 })]);
  const cells = (await acme.executions.list.query({ promptId: prompt.id })).data;
  expect(cells.map((execution) => execution.options)).toEqual([{ temperature: 0.3 }, { temperature: 0.3 }]);

  const deployment = await acme.deployments.create.mutate({
    name: `options-${STAMP}`,
    promptId: prompt.id,
    provider: IDENTIFIER,
    model: "fake-large",
    options: { temperature: 0.5 },
  });
  await page.goto(`/executions/new?deployment=${deployment.id}`);
  const override = page.getByLabel("Options override");
  await expect(page.getByText(`The deployment's own: { "temperature": 0.5 }; an option named here replaces it for this run.`)).toBeVisible();
  // An override alone is work: leaving asks.
  await override.fill('{"temperature": 5}');
  await page.getByRole("link", { name: "Cancel" }).click();
  const discard = page.getByRole("dialog", { name: "Discard unsaved changes?" });
  await discard.getByRole("button", { name: "Stay" }).click();
  await expect(override).toHaveValue('{"temperature": 5}');
  await page.getByLabel("customer").fill("Linus");
  await page.getByRole("button", { name: "Start execution" }).click();
  await expect(page.getByText("Options for a provider of kind openai-compatible are not valid: temperature:")).toBeVisible();
  await expect(override).toHaveAttribute("aria-invalid", "true");

  await override.fill('{"max_tokens": 20}');
  await page.getByRole("button", { name: "Start execution" }).click();
  await expect(page.getByRole("region", { name: "Result" })).toContainText("echo: Welcome Linus.", { timeout: 30_000 });
  await expect(page.getByRole("complementary", { name: "Details" })).toContainText('{ "temperature": 0.5, "max_tokens": 20 }');
  expect(fake.generations().at(-1)?.body).toMatchObject({ temperature: 0.5, max_tokens: 20 });
  await acme.deployments.delete.mutate({ id: deployment.id });
});

test("a Run dialog draft saved before runs took options still restores", async ({ page }) => {
  const acme = await workspaceClient("acme");
  const prompt = await acme.prompts.create.mutate({ name: `Old draft ${STAMP}`, template: "Hi {{customer}}." });
  await page.goto(`/prompts/${prompt.id}`);
  await signInOnPage(page, DEMO.acme.email, DEMO.acme.password);
  await page.getByRole("button", { name: "Run", exact: true }).click();
  const run = page.getByRole("dialog", { name: /^Run “/ });
  await run.getByLabel("customer").fill("Ada");
  // Run in the page (a string: the e2e tsconfig has no DOM types), like e2e/admin/create-tenant-draft.e2e.ts.
  const draftKey = `Object.keys(sessionStorage).find((key) => key.endsWith(":run-prompt:${prompt.id}")) ?? ""`;
  await expect.poll(() => page.evaluate<string>(draftKey)).not.toBe("");
  // The shape the dialog stored before options existed: no "options".
  const oldDraft = JSON.stringify({ values: { customer: "Grace" }, provider: "template", model: "", fileIds: [] });
  await page.evaluate(`sessionStorage.setItem(${draftKey}, ${JSON.stringify(oldDraft)})`);
  page.on("dialog", (dialog) => void dialog.accept());
  await page.reload();
  await page.getByRole("button", { name: "Run", exact: true }).click();
  await expect(run.getByText("Draft restored")).toBeVisible();
  await expect(run.getByLabel("customer")).toHaveValue("Grace");
});

test("the deployment form's Options: none for the template provider, the chosen provider's names in the hint, an unknown one refused in place", async ({
  page,
}) => {
  const acme = await workspaceClient("acme");
  const name = `options-form-${STAMP}`;
  await page.goto("/deployments");
  await signInOnPage(page, DEMO.acme.email, DEMO.acme.password);
  await page.getByRole("button", { name: "New deployment" }).first().click();
  const form = page.getByRole("dialog", { name: "New deployment" });
  await expect(form.getByLabel("Options")).toHaveCount(0);
  await form.getByLabel("Name").fill(name);
  await form.getByLabel("Provider").selectOption(IDENTIFIER);
  await expect(form.getByText("A JSON object under the provider's own names: temperature, top_p, max_tokens, stop, presence_penalty,")).toBeVisible();
  await form.getByLabel("Options").fill('{"temprature": 1}');
  await form.getByRole("button", { name: "Create deployment" }).click();
  await expect(form.getByText("Options for a provider of kind openai-compatible are not valid: unknown option temprature")).toBeVisible();
  await expect(form.getByLabel("Options")).toHaveAttribute("aria-invalid", "true");
  const named = async () => (await acme.deployments.list.query({ pageSize: 100 })).data.filter((deployment) => deployment.name === name);
  expect(await named()).toHaveLength(0);

  await form.getByLabel("Options").fill('{"temperature": 0.4}');
  await form.getByRole("button", { name: "Create deployment" }).click();
  await expect(form).toBeHidden();
  const created = await named();
  expect(created.map((deployment) => deployment.options)).toEqual([{ temperature: 0.4 }]);
  for (const deployment of created) await acme.deployments.delete.mutate({ id: deployment.id });
});
