import { expect, test } from "@playwright/test";
import { ADMIN_URL, DEMO } from "../support/env.ts";
import { signInOnPage } from "../support/pages.ts";

/** The create-tenant dialog keeps its input across a reload (never the password) and asks before an accidental close. */
test("the create-tenant dialog asks before closing with input and restores its draft after a reload", async ({ page }) => {
  // Signed in on the overview: the tenants page holds the (closed) dialog's "Owner password" field.
  await page.goto("/");
  await signInOnPage(page, DEMO.admin.email, DEMO.admin.password);
  await page.goto(`${ADMIN_URL}/tenants`);
  await page.getByRole("button", { name: "Create tenant" }).first().click();
  const dialog = page.getByRole("dialog", { name: "Create tenant" });
  await dialog.getByLabel("Name", { exact: true }).fill("Draft Corp");
  await dialog.getByLabel("Owner email").fill("owner@draft.test");
  await dialog.getByLabel("Owner password").fill("a-secret-password");

  const discard = page.getByRole("dialog", { name: "Discard unsaved changes?" });
  await page.keyboard.press("Escape");
  await expect(discard).toBeVisible();
  await discard.getByRole("button", { name: "Stay" }).click();
  await expect(dialog.getByLabel("Slug")).toHaveValue("draft-corp");

  // The close button asks too.
  await page.getByRole("dialog", { name: "Create tenant" }).getByRole("button", { name: "Close" }).click();
  await expect(discard).toBeVisible();
  await discard.getByRole("button", { name: "Stay" }).click();

  // A string expression: the e2e TypeScript project has no DOM types.
  const stored = await page.evaluate<[string, string][]>(`Object.entries(sessionStorage).filter(([key]) => key.startsWith("sigil:draft:"))`);
  expect(stored).toHaveLength(1);
  expect(stored[0]?.[1]).not.toContain("a-secret-password");

  page.on("dialog", (browserDialog) => void browserDialog.accept());
  await page.reload();
  await page.getByRole("button", { name: "Create tenant" }).first().click();
  await expect(dialog.getByText("Draft restored")).toBeVisible();
  await expect(dialog.getByLabel("Name", { exact: true })).toHaveValue("Draft Corp");
  await expect(dialog.getByLabel("Slug")).toHaveValue("draft-corp");
  await expect(dialog.getByLabel("Owner email")).toHaveValue("owner@draft.test");
  await expect(dialog.getByLabel("Owner password")).toHaveValue("");

  await dialog.getByRole("button", { name: "Discard" }).click();
  await expect(dialog.getByLabel("Name", { exact: true })).toHaveValue("");
  await page.keyboard.press("Escape");
  await expect(dialog).toBeHidden();
  await expect(discard).toHaveCount(0);
  await page.reload();
  await page.getByRole("button", { name: "Create tenant" }).first().click();
  await expect(dialog.getByLabel("Name", { exact: true })).toHaveValue("");
});
