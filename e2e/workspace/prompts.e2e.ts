import { expect, test } from "@playwright/test";
import { DEMO, workspaceClient, workspaceUrl } from "../support/env.ts";
import { openNewPromptForm, saveScreenshot, signInOnPage } from "../support/pages.ts";

const PROMPT = `Onboarding email ${Date.now()}`;

test.describe.configure({ mode: "serial" });

test("on acme a user creates a prompt, edits it twice, compares versions and runs it to completion", async ({ page }) => {
  await page.goto("/prompts");
  await signInOnPage(page, DEMO.acme.email, DEMO.acme.password);
  await expect(page.getByRole("heading", { name: /prompts/i }).first()).toBeVisible();
  await saveScreenshot(page, "workspace-prompts");

  await openNewPromptForm(page);
  await page.getByLabel("Name").fill(PROMPT);
  await page.getByLabel("Description").fill("Welcome a new customer");
  await page.getByLabel("Template").fill("Hello {{customer}}, welcome to Acme.");
  await expect(page.getByRole("heading", { name: "Preview" })).toBeVisible();
  await page.getByLabel("customer").fill("Ada");
  await expect(page.getByText("Hello Ada, welcome to Acme.")).toBeVisible();
  await saveScreenshot(page, "workspace-prompt-editor");
  await page.getByRole("button", { name: "Create prompt" }).click();
  await expect(page.getByRole("heading", { name: PROMPT })).toBeVisible();

  for (const template of ["Hello {{customer}}, welcome aboard.", "Hello {{customer}}, welcome aboard!\nYour plan: {{plan}}."]) {
    await page.getByLabel("Template").fill(template);
    await page.getByRole("button", { name: "Save" }).click();
    await expect(page.getByText(/Saved as v\d/)).toBeVisible();
  }

  await page
    .getByRole("tab", { name: "Versions" })
    .or(page.getByRole("link", { name: "Versions" }))
    .or(page.getByRole("heading", { name: "Versions" }))
    .first()
    .click();
  for (const version of ["v1", "v2", "v3"]) await expect(page.getByText(version, { exact: true }).first()).toBeVisible();
  await expect(page.getByRole("heading", { name: /Changes from v\d+ to v\d+/ })).toBeVisible();
  await saveScreenshot(page, "workspace-prompt-diff");

  await page.getByRole("button", { name: "Run", exact: true }).click();
  await page.getByLabel("customer").last().fill("Grace");
  await page.getByLabel("plan").last().fill("Pro");
  await page.getByRole("button", { name: "Start execution" }).click();
  const result = page.getByRole("region", { name: "Result" });
  await expect(result).toContainText("Hello Grace, welcome aboard!", { timeout: 30_000 });
  await expect(result).toContainText("Your plan: Pro.");
  await saveScreenshot(page, "workspace-execution");
});

test("the same browser on globex cannot reach acme's prompt by list or by URL, and globex's data is untouched", async ({ page }) => {
  const acme = await workspaceClient("acme");
  const acmePrompt = (await acme.prompts.list.query({ query: PROMPT })).data[0];
  if (!acmePrompt) throw new Error("the first test's prompt is missing");
  const globex = await workspaceClient("globex");
  const globexBefore = await globex.prompts.list.query({ pageSize: 100 });

  await page.goto(workspaceUrl("globex", "/prompts"));
  await signInOnPage(page, DEMO.globex.email, DEMO.globex.password);
  await expect(page.getByText(PROMPT)).toHaveCount(0);
  const byUrl = await page.goto(workspaceUrl("globex", `/prompts/${acmePrompt.id}`));
  expect([200, 404]).toContain(byUrl?.status());
  await expect(page.getByText(/not found|does not exist/i).first()).toBeVisible();
  await expect(page.getByText(PROMPT)).toHaveCount(0);

  const globexAfter = await globex.prompts.list.query({ pageSize: 100 });
  expect(globexAfter.data.map((p) => [p.id, p.currentVersion])).toEqual(globexBefore.data.map((p) => [p.id, p.currentVersion]));
});
