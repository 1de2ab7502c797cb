import { expect, test } from "@playwright/test";
import { DEMO, workspaceClient } from "../support/env.ts";
import { saveScreenshot, signInOnPage } from "../support/pages.ts";

/**
 * Versions ↔ deployments on acme (its owner is an admin, and acme has the deployments feature):
 * a change note on a save shows in the versions list and the diff; a version shows the
 * deployments serving it; "deploy this version" creates one pinned to it or pins an existing one;
 * deleting the prompt names its deployments and deletes them with it in one confirmation.
 */
const PROMPT = `Support reply ${Date.now()}`;
const STAMP = Date.now().toString(36);
const PRODUCTION = `production-${STAMP}`;
const STAGING = `staging-${STAMP}`;

test.describe.configure({ mode: "serial" });

test("save with a change note, see it in the versions list and the diff; deploy versions; delete with the deployments", async ({ page }) => {
  const acme = await workspaceClient("acme");
  const prompt = await acme.prompts.create.mutate({ name: PROMPT, template: "Hello {{customer}}." });

  await page.goto(`/prompts/${prompt.id}`);
  await signInOnPage(page, DEMO.acme.email, DEMO.acme.password);
  await expect(page.getByRole("heading", { name: PROMPT })).toBeVisible();
  await expect(page.getByRole("region", { name: "Deployments" })).toContainText("Not deployed");

  await page.getByLabel("Template").fill("Hello {{customer}}, thanks for writing.");
  await page.getByLabel("Change note").fill("Thank the customer");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByText("Saved as v2")).toBeVisible();
  await expect(page.getByLabel("Change note")).toHaveValue("");

  await page.getByRole("tab", { name: /Versions/ }).click();
  const versions = page.getByRole("table", { name: /^Versions of / });
  const versionRow = (n: number) => versions.getByRole("row", { name: new RegExp(`^v${n}\\b`) });
  await expect(versionRow(2)).toContainText("Thank the customer");
  await expect(versionRow(1)).toContainText("Created");
  await expect(page.getByRole("heading", { name: "Changes from v1 to v2" })).toBeVisible();
  await expect(page.getByText("Thank the customer").last()).toBeVisible();

  // Deploy v1 as a new deployment pinned to it.
  await versionRow(1).getByRole("button", { name: "Deploy this version" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "New deployment pinned to v1" }).click();
  const form = page.getByRole("dialog", { name: "New deployment" });
  await form.getByLabel("Name").fill(PRODUCTION);
  await expect(form.getByLabel("Pinned version")).toHaveValue("1");
  await form.getByRole("button", { name: "Create deployment" }).click();
  await expect(page.getByRole("dialog")).toHaveCount(0);
  await expect(versionRow(1)).toContainText(`${PRODUCTION} (pinned)`);

  // A deployment that follows the latest shows on the current version.
  await acme.deployments.create.mutate({ name: STAGING, promptId: prompt.id, promptVersion: null, provider: "template", model: "mustache" });
  await page.reload();
  await expect(versionRow(2)).toContainText(`${STAGING} (follows latest)`);
  const listed = page.getByRole("region", { name: "Deployments" });
  await expect(listed).toContainText(PRODUCTION);
  await expect(listed).toContainText("pinned to v1");
  await expect(listed).toContainText("latest (v2)");
  await expect(listed.getByRole("link", { name: PRODUCTION })).toHaveAttribute("href", `/deployments?prompt=${prompt.id}`);
  await saveScreenshot(page, "workspace-prompt-versions-deployments");

  // Promote: pin production to v2.
  await versionRow(2).getByRole("button", { name: "Deploy this version" }).click();
  await page
    .getByRole("dialog")
    .getByRole("button", { name: `Pin ${PRODUCTION} to v2` })
    .click();
  await expect(page.getByText(`${PRODUCTION} now serves v2 (pinned)`)).toBeVisible();
  await expect(versionRow(2)).toContainText(`${PRODUCTION} (pinned)`);
  expect((await acme.deployments.list.query({ promptId: prompt.id })).data.find((d) => d.name === PRODUCTION)?.promptVersion).toBe(2);

  // Delete the prompt with its deployments, in one confirmation.
  await page.getByRole("button", { name: "Delete" }).click();
  const dialog = page.getByRole("dialog");
  await expect(dialog).toContainText(`is used by 2 deployments (“${PRODUCTION}”, “${STAGING}”)`);
  await expect(dialog.getByRole("link", { name: STAGING })).toBeVisible();
  await saveScreenshot(page, "workspace-prompt-delete-with-deployments");
  await dialog.getByRole("button", { name: "Delete prompt and 2 deployments" }).click();
  await expect(page).toHaveURL(/\/prompts$/);
  expect((await acme.deployments.list.query({ pageSize: 100 })).data.map((d) => d.name)).not.toContain(PRODUCTION);
  expect((await acme.prompts.list.query({ query: PROMPT })).total).toBe(0);
});
