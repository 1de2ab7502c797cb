import { expect, test } from "@playwright/test";
import { ADMIN_URL, DEMO } from "../support/env.ts";
import { saveScreenshot, signInOnPage } from "../support/pages.ts";

test("the tenant forms offer each feature as a checkbox with what it does", async ({ page }) => {
  await page.goto("/");
  await signInOnPage(page, DEMO.admin.email, DEMO.admin.password);
  await page.goto(`${ADMIN_URL}/tenants`);
  await page.getByRole("button", { name: "Create tenant" }).first().click();
  const features = page.getByRole("group", { name: "Features" });
  await expect(features.getByRole("checkbox")).toHaveCount(2);
  // Checked for a new workspace, each described (packages/validators/src/features.ts).
  await expect(features.getByRole("checkbox", { name: "Deployments" })).toBeChecked();
  await expect(features.getByRole("checkbox", { name: "Deployments" })).toHaveAccessibleDescription(/labels, such as production or staging/);
  await expect(features.getByRole("checkbox", { name: "Files" })).toBeChecked();
  await expect(features.getByRole("checkbox", { name: "Files" })).toHaveAccessibleDescription(/Uploading files/);
  // Free text is gone: no made-up feature can be typed in.
  await expect(page.getByRole("dialog").getByPlaceholder(/Type a feature/)).toHaveCount(0);
  await saveScreenshot(page, "admin-create-tenant-features");
  await page.getByRole("dialog").getByRole("button", { name: "Cancel" }).click();

  // globex (demo seed) has none.
  await page
    .getByRole("row", { name: /globex/ })
    .getByRole("link")
    .first()
    .click();
  const edit = page.getByRole("group", { name: "Features" });
  await expect(edit.getByRole("checkbox", { name: "Deployments" })).not.toBeChecked();
  await expect(edit.getByRole("checkbox", { name: "Files" })).not.toBeChecked();
});
