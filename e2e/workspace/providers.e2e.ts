import { expect, test } from "@playwright/test";
import { startFakeAnthropic } from "../../packages/api/test/fakes/anthropic.ts";
import type { FakeProvider } from "../../packages/api/test/fakes/server.ts";
import { DEMO, FAKE_PORTS, workspaceClient } from "../support/env.ts";
import { saveScreenshot, signInOnPage } from "../support/pages.ts";

/**
 * A native provider as an admin sets one up: add an Anthropic provider pointing at the local fake
 * Anthropic server (its port is allow-listed by playwright.config.ts), test the connection, run a
 * prompt with it and read the model's output and token counts.
 */
const STAMP = Date.now().toString(36);
const IDENTIFIER = `claude-${STAMP}`;
const KEY = `sk-ant-e2e-${STAMP}`;
let fake: FakeProvider;

test.beforeAll(async () => {
  fake = await startFakeAnthropic({ port: FAKE_PORTS.anthropic, apiKey: KEY });
});
test.afterAll(async () => {
  await fake.close();
});

test("configure an Anthropic provider, test the connection, run a prompt and see its output", async ({ page }) => {
  const acme = await workspaceClient("acme");
  const prompt = await acme.prompts.create.mutate({ name: `Provider run ${STAMP}`, template: "Say hello to {{customer}}." });

  await page.goto("/settings");
  await signInOnPage(page, DEMO.acme.email, DEMO.acme.password);
  await page.getByRole("button", { name: "Add provider" }).click();
  const dialog = page.getByRole("dialog", { name: "Add a model provider" });
  await dialog.getByLabel("Identifier").fill(IDENTIFIER);
  await dialog.getByLabel("Kind").selectOption("anthropic");
  // The kind brings its default base URL; the scenario points it at the fake instead.
  await expect(dialog.getByLabel("Base URL")).toHaveValue("https://api.anthropic.com");
  await dialog.getByLabel("Base URL").fill(fake.url);
  await dialog.getByLabel("Default model").fill("fake-large");
  await dialog.getByLabel("API key").fill(KEY);
  await saveScreenshot(page, "workspace-provider-dialog");
  await dialog.getByRole("button", { name: "Add provider" }).click();

  const row = page.getByRole("list", { name: "Model providers" }).getByRole("listitem").filter({ hasText: IDENTIFIER });
  await expect(row).toContainText("Anthropic (Messages API)");
  await expect(row).toContainText("Active");
  await row.getByRole("button", { name: `Test connection of provider ${IDENTIFIER}` }).click();
  await expect(page.getByTestId(`test-result-${IDENTIFIER}`)).toContainText(`Connected to ${IDENTIFIER} (anthropic): 2 models available.`);
  expect(fake.requests.at(-1)).toMatchObject({ url: "/v1/models?limit=1000" });
  await saveScreenshot(page, "workspace-providers");

  await page.goto(`/prompts/${prompt.id}`);
  await page.getByRole("button", { name: "Run", exact: true }).click();
  const run = page.getByRole("dialog", { name: /^Run “/ });
  await run.getByLabel("customer").fill("Grace");
  await run.getByLabel("Provider", { exact: true }).selectOption(IDENTIFIER);
  // The model field suggests the provider's own models (its list endpoint).
  await expect(run.getByTestId("model-options").locator("option")).toHaveCount(2);
  await run.getByLabel("Model").fill("fake-small");
  await run.getByRole("button", { name: "Start execution" }).click();
  const result = page.getByRole("region", { name: "Result" });
  await expect(result).toContainText("echo: Say hello to Grace.", { timeout: 30_000 });

  const sent = fake.generations().at(-1);
  expect(sent?.headers["x-api-key"]).toBe(KEY);
  expect(sent?.headers["anthropic-version"]).toBe("2023-06-01");
  expect(sent?.body).toMatchObject({ model: "fake-small", max_tokens: 4096 });
  const executions = await acme.executions.list.query({ promptId: prompt.id });
  expect(executions.data[0]).toMatchObject({ status: "completed", provider: IDENTIFIER, inputTokens: 4, outputTokens: 5 });
});
