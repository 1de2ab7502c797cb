import { expect, test } from "@playwright/test";
import { DEMO, workspaceUrl } from "../support/env";
import { signInOnPage } from "../support/pages";

test("in Chromium the CSP blocks nothing of Sigil's own (sign-in, navigation)", async ({ page }) => {
  const violations: string[] = [];
  page.on("console", (message) => {
    if (/Content Security Policy/i.test(message.text())) violations.push(message.text());
  });
  await page.goto(workspaceUrl("acme", "/login"));
  await signInOnPage(page, DEMO.acme.email, DEMO.acme.password);
  await page.getByRole("link", { name: "Files" }).first().click();
  await expect(page).toHaveURL(/\/files$/);
  expect(violations).toEqual([]);
});
