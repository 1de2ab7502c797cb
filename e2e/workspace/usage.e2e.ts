import { expect, test, type Page } from "@playwright/test";
import { DEMO, workspaceClient } from "../support/env.ts";
import { saveScreenshot, signInOnPage } from "../support/pages.ts";
import { seedFinishedExecutions } from "../support/usage-seed.ts";

/**
 * The Usage page's tokens and cost: executions of two models, one 2 days old and one 50 days old,
 * show in the tables of the ranges that include them (30 days by default, 7, 90, a custom range).
 */
test("the usage dashboard shows seeded executions' tokens and cost, and follows the date range", async ({ page }) => {
  const stamp = Date.now().toString(36);
  const acme = await workspaceClient("acme");
  const prompt = await acme.prompts.create.mutate({ name: `Usage check ${stamp}`, template: "Hello {{name}}" });
  const recent = `recent-${stamp}`;
  const old = `old-${stamp}`;
  const [recentId] = await seedFinishedExecutions("acme", [
    { promptId: prompt.id, provider: "usage-e2e", model: recent, inputTokens: 1200, outputTokens: 350, costUsd: 0.00885, daysAgo: 2 },
    { promptId: prompt.id, provider: "usage-e2e", model: old, inputTokens: 2000, outputTokens: 200, costUsd: 0.007, daysAgo: 50 },
  ]);

  await page.goto("/usage");
  await signInOnPage(page, DEMO.acme.email, DEMO.acme.password);
  await expect(page.getByRole("heading", { name: "Tokens and cost" })).toBeVisible();
  await expect(page.getByText("Tokens this month", { exact: true }).first()).toBeVisible();

  const byModel = page.getByRole("table", { name: "Usage by model" });
  const recentRow = byModel.getByRole("row", { name: new RegExp(`usage-e2e · ${recent}`) });
  const oldRow = byModel.getByRole("row", { name: new RegExp(`usage-e2e · ${old}`) });
  await expectRow(recentRow, ["1", "0", "1,200", "350", "$0.00885"]);
  await expect(oldRow).toHaveCount(0);
  // The prompt's own row sums both only when the range holds both.
  const promptRow = page.getByRole("table", { name: "Usage by prompt" }).getByRole("row", { name: new RegExp(`Usage check ${stamp}`) });
  await expectRow(promptRow, ["1", "0", "1,200", "350", "$0.00885"]);

  await pickPreset(page, "90 days");
  await expectRow(oldRow, ["1", "0", "2,000", "200", "$0.007"]);
  await expectRow(promptRow, ["2", "0", "3,200", "550", "$0.01585"]);
  await saveScreenshot(page, "workspace-usage");

  await pickPreset(page, "7 days");
  await expect(oldRow).toHaveCount(0);
  await expectRow(recentRow, ["1", "0", "1,200", "350", "$0.00885"]);

  // A custom range around the old one only.
  const day = (daysAgo: number) => new Date(Date.now() - daysAgo * 86_400_000).toISOString().slice(0, 10);
  const custom = page.getByRole("form", { name: "Custom range" });
  await custom.getByLabel("From").fill(day(55));
  await custom.getByLabel("To").fill(day(45));
  await custom.getByRole("button", { name: "Apply" }).click();
  await expectRow(oldRow, ["1", "0", "2,000", "200", "$0.007"]);
  await expect(recentRow).toHaveCount(0);

  // A range with nothing in it says so.
  await custom.getByLabel("From").fill(day(400));
  await custom.getByLabel("To").fill(day(399));
  await custom.getByRole("button", { name: "Apply" }).click();
  await expect(page.getByText("No executions in this range")).toBeVisible();

  // The execution itself shows its tokens and cost.
  await page.goto(`/executions/${recentId ?? ""}`);
  const details = page.getByRole("complementary", { name: "Details" });
  await expect(details.getByText("1,200 in · 350 out")).toBeVisible();
  await expect(details.getByText("$0.00885")).toBeVisible();
});

async function pickPreset(page: Page, name: string): Promise<void> {
  const button = page.getByRole("group", { name: "Date range" }).getByRole("button", { name });
  await button.click();
  await expect(button).toHaveAttribute("aria-pressed", "true");
}

async function expectRow(row: ReturnType<Page["getByRole"]>, cells: string[]): Promise<void> {
  await expect(row.getByRole("cell")).toHaveText(cells);
}
