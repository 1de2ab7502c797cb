import { expect, test } from "@playwright/test";
import { DEMO, workspaceClient } from "../support/env.ts";
import { saveScreenshot, signInOnPage } from "../support/pages.ts";

/**
 * A prompt's input schema, as a user of acme: drafted from the template's variables, tightened by
 * hand, saved as a version; the Run dialog shows each variable's declared type, refuses input that
 * does not follow the schema with the reason under each variable (nothing started), and sends a
 * typed number for an integer.
 */
const PROMPT = `Typed greeting ${Date.now()}`;

test("an input schema is drafted from the template, and the Run dialog checks variables against it", async ({ page }) => {
  await page.goto("/prompts/new");
  await signInOnPage(page, DEMO.acme.email, DEMO.acme.password);
  await page.getByLabel("Name").fill(PROMPT);
  await page.getByLabel("Template").fill("Hello {{customer}}, you are {{age}}.");

  const schema = page.getByLabel("Input schema");
  await page.getByTestId("input-schema-field").getByRole("button", { name: "Generate from template variables" }).click();
  await expect(schema).toHaveValue(/"required": \[\s*"customer",\s*"age"\s*\]/);
  await expect(page.getByTestId("input-schema-status")).toHaveText("Valid JSON Schema.");
  // Tightened by hand: age a whole number, customer not empty.
  await schema.fill(
    JSON.stringify({
      type: "object",
      properties: { customer: { type: "string", minLength: 1 }, age: { type: "integer", minimum: 0 } },
      required: ["customer", "age"],
    }),
  );
  await expect(page.getByTestId("input-schema-status")).toHaveText("Valid JSON Schema.");
  await page.getByRole("button", { name: "Create prompt" }).click();
  await expect(page.getByRole("heading", { name: PROMPT })).toBeVisible();

  const acme = await workspaceClient("acme");
  const prompt = (await acme.prompts.list.query({ query: PROMPT })).data[0];
  if (!prompt) throw new Error("the prompt was not created");
  expect(prompt.inputSchema).toMatchObject({ required: ["customer", "age"] });
  const before = (await acme.executions.list.query({ promptId: prompt.id })).total;

  await page.getByRole("button", { name: "Run", exact: true }).click();
  const dialog = page.getByRole("dialog", { name: `Run “${PROMPT}”` });
  await expect(dialog.getByText("integer", { exact: true })).toBeVisible();
  await dialog.getByLabel("age").fill("thirty");
  await dialog.getByRole("button", { name: "Start execution" }).click();
  await expect(dialog.getByText("Required by the prompt's input schema.", { exact: true })).toBeVisible();
  await expect(dialog.getByText("Must be an integer.", { exact: true })).toBeVisible();
  await expect(dialog.getByText(/does not follow the input schema of prompt/)).toBeVisible();
  await saveScreenshot(page, "workspace-input-schema");
  expect((await acme.executions.list.query({ promptId: prompt.id })).total).toBe(before);

  await dialog.getByLabel("customer").fill("Ada");
  await dialog.getByLabel("age").fill("36");
  await dialog.getByRole("button", { name: "Start execution" }).click();
  await expect(page).toHaveURL(/\/executions\/[0-9a-f-]{36}$/);
  const executions = await acme.executions.list.query({ promptId: prompt.id });
  expect(executions.total).toBe(before + 1);
  expect(executions.data[0]?.input).toEqual({ customer: "Ada", age: 36 });
});
