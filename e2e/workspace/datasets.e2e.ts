import { expect, test } from "@playwright/test";
import { DEMO, workspaceClient } from "../support/env.ts";
import { saveScreenshot, signInOnPage } from "../support/pages.ts";

const STAMP = Date.now();
const DATASET = `Questions ${STAMP}`;
const PROMPT = `Quiz ${STAMP}`;
const CSV = ["question,expected_output,tags", ...Array.from({ length: 50 }, (_, i) => `"What is ${i} + ${i}?",${i + i},"math, row-${i}"`)].join("\n");

test.describe.configure({ mode: "serial" });

test("a 50-row CSV is imported with a preview, two versions run over it to completion, the grid and the comparison show", async ({ page }) => {
  // A prompt with two versions, set up as another program would.
  const acme = await workspaceClient("acme");
  const prompt = await acme.prompts.create.mutate({ name: PROMPT, template: "Q: {{question}}" });
  await acme.prompts.update.mutate({ id: prompt.id, template: "Please answer: {{question}}" });

  await page.goto("/datasets");
  await signInOnPage(page, DEMO.acme.email, DEMO.acme.password);
  await expect(page.getByRole("heading", { name: "Datasets", level: 1 })).toBeVisible();
  await page.getByLabel("Name").fill(DATASET);
  await page.getByRole("button", { name: "Create dataset" }).click();
  await expect(page.getByRole("heading", { name: DATASET })).toBeVisible();

  // A CSV that cannot be read says why; nothing is imported.
  await page.getByRole("button", { name: "Import" }).click();
  const dialog = page.getByRole("dialog", { name: "Import items" });
  await dialog.getByLabel("Content").fill('a,b\n"open');
  await dialog.getByRole("button", { name: "Preview" }).click();
  await expect(dialog.getByText(/The CSV cannot be read/)).toBeVisible();

  await dialog.getByLabel("File").setInputFiles({ name: "questions.csv", mimeType: "text/csv", buffer: Buffer.from(CSV) });
  await expect(dialog.getByLabel("Content")).toHaveValue(/What is 49 \+ 49\?/);
  await dialog.getByRole("button", { name: "Preview" }).click();
  await expect(dialog.getByRole("status").filter({ hasText: "50 rows read: 50 can be imported, 0 have errors." })).toBeVisible();
  await expect(dialog.getByLabel("What column expected_output becomes")).toHaveValue("expected");
  await expect(dialog.getByRole("region", { name: "Preview of the first rows" }).getByRole("row")).toHaveCount(21);
  await saveScreenshot(page, "workspace-dataset-import-preview");
  await dialog.getByRole("button", { name: "Import 50 items" }).click();
  await expect(page.getByText("50 items imported")).toBeVisible();
  await expect(page.getByText("50 items", { exact: true })).toBeVisible();
  await expect(page.getByRole("cell", { name: "What is 7 + 7?" })).toBeVisible();

  // Two versions over the dataset.
  await page.getByRole("button", { name: "Run over dataset" }).click();
  const run = page.getByRole("dialog", { name: "Run over a dataset" });
  await run.getByLabel("Prompt").selectOption({ label: PROMPT });
  await expect(run.getByLabel("Column 1 version")).toHaveValue("2");
  await run.getByLabel("Column 1 version").selectOption("1");
  await run.getByRole("button", { name: "Add column" }).click();
  await run.getByLabel("Column 2 version").selectOption("2");
  await run.getByRole("button", { name: "Start run" }).click();

  await expect(page.getByRole("status").filter({ hasText: "100 of 100 done" })).toBeVisible({ timeout: 60_000 });
  await expect(page.getByText("completed", { exact: true }).first()).toBeVisible();
  await expect(page.getByTestId("totals-0")).toContainText("50 completed · 0 failed");
  await expect(page.getByTestId("totals-1")).toContainText("50 completed · 0 failed");
  await expect(page.getByRole("link", { name: "Open the execution of row 4, column 2" })).toContainText("Please answer: What is 3 + 3?");
  await saveScreenshot(page, "workspace-batch-run-grid");

  await page.getByRole("link", { name: "Compare side by side" }).click();
  await expect(page.getByRole("heading", { name: "Compare runs" })).toBeVisible();
  await expect(page.getByText(/50 of 50 items changed/)).toBeVisible();
  await expect(page.getByRole("cell", { name: /Q: What is 0 \+ 0\?/ }).first()).toBeVisible();
  await saveScreenshot(page, "workspace-batch-compare");

  // A cell opens its execution.
  await page.goBack();
  await page.getByRole("link", { name: "Open the execution of row 1, column 1" }).click();
  await expect(page.getByRole("region", { name: "Result" })).toContainText("Q: What is 0 + 0?");
});
