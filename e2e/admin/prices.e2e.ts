import { expect, test } from "@playwright/test";
import { DEMO } from "../support/env.ts";
import { saveScreenshot, signInOnPage } from "../support/pages.ts";

/**
 * The Prices page: override a default price (marked "Override" with the default beside it),
 * reset it, and price a self-hosted model that has no default, then remove that price.
 */
test("overrides a default price, sees it marked, resets it; adds and removes a custom model's price", async ({ page }) => {
  await page.goto("/prices");
  await signInOnPage(page, DEMO.admin.email, DEMO.admin.password);
  await expect(page.getByRole("heading", { name: "Prices", level: 1 })).toBeVisible();
  await expect(page.getByText("Changes apply to executions that finish afterwards")).toBeVisible();

  const row = page.getByTestId("price-openai-gpt-4o");
  await expect(row.getByText("Default", { exact: true })).toBeVisible();
  await row.getByRole("button", { name: /Edit/ }).click();
  const dialog = page.getByRole("dialog", { name: "Price of gpt-4o" });
  await dialog.getByLabel("Input, $ per million tokens").fill("-1");
  await dialog.getByRole("button", { name: "Save price" }).click();
  await expect(dialog.getByText("The input price cannot be negative.")).toBeVisible();
  await dialog.getByLabel("Input, $ per million tokens").fill("1.23");
  await dialog.getByLabel("Output, $ per million tokens").fill("4.5");
  await dialog.getByRole("button", { name: "Save price" }).click();
  await expect(dialog).toBeHidden();
  await expect(row.getByText("Override", { exact: true })).toBeVisible();
  await expect(row.getByRole("cell").nth(2)).toHaveText("$1.23");
  await expect(row.getByRole("cell").nth(3)).toHaveText("$4.50");
  await expect(row.getByText(/Default \$2\.50 \/ \$10\.00/)).toBeVisible();
  await expect(row.getByText(new RegExp(`Set by ${DEMO.admin.email}`))).toBeVisible();
  await saveScreenshot(page, "admin-prices");

  await row.getByRole("button", { name: /Reset to default/ }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Reset to default" }).click();
  await expect(row.getByText("Default", { exact: true })).toBeVisible();
  await expect(row.getByRole("cell").nth(2)).toHaveText("$2.50");

  const model = `e2e-llama-${Date.now().toString(36)}`;
  await page.getByRole("button", { name: "Add a model" }).click();
  const add = page.getByRole("dialog", { name: "Add a model's price" });
  await add.getByLabel("Provider kind").selectOption("ollama");
  await add.getByLabel("Model").fill(model);
  await add.getByLabel("Input, $ per million tokens").fill("0.2");
  await add.getByLabel("Output, $ per million tokens").fill("0.2");
  await add.getByRole("button", { name: "Save price" }).click();
  const custom = page.getByTestId(`price-ollama-${model}`);
  await expect(custom.getByText("Custom", { exact: true })).toBeVisible();
  await expect(custom.getByText("No default.", { exact: false })).toBeVisible();
  await custom.getByRole("button", { name: /Remove/ }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Remove price" }).click();
  await expect(custom).toHaveCount(0);

  // Both changes are in the admin audit log.
  await page.goto("/audit");
  await expect(page.getByRole("cell", { name: "admin.price_set" }).first()).toBeVisible();
  await expect(page.getByRole("cell", { name: "admin.price_reset" }).first()).toBeVisible();
});
