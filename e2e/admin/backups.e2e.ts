import { expect, test } from "@playwright/test";
import { adminClient, DEMO } from "../support/env.ts";
import { signInOnPage } from "../support/pages.ts";

/**
 * Backups and maintenance on the admin console: "Back up everything now" on the Health page is a
 * run with progress that fills every tenant's last backup; a tenant's page backs it up alone, shows how to restore it, and
 * turns its maintenance on and off.
 */
test("backs up everything and one tenant from the console, and toggles a tenant's maintenance", async ({ page }) => {
  const admin = await adminClient();
  const globex = (await admin.tenants.list.query({ search: "globex" })).tenants.find((tenant) => tenant.slug === "globex");
  if (!globex) throw new Error("the demo tenant globex is missing");

  await page.goto("/health");
  await signInOnPage(page, DEMO.admin.email, DEMO.admin.password);
  // A run of its own, with progress, results per tenant and no Cancel (a set is whole or nothing).
  const run = page.getByRole("region", { name: "Backup of everything" });
  await run.getByRole("button", { name: "Back up everything now" }).click();
  await expect(run.getByRole("progressbar", { name: /Tenants backed up|Backing up tenants/ })).toHaveAttribute(
    "aria-valuetext",
    /^(\d+) of \1 tenants · 0 failed$/,
    {
      timeout: 30_000,
    },
  );
  await expect(run.getByText("Finished without a problem.").first()).toBeVisible();
  await expect(run.getByRole("button", { name: "Cancel" })).toHaveCount(0);
  await expect(
    run
      .getByRole("row")
      .filter({ hasText: "globex" })
      .getByText(/^(copied|unchanged \(linked\))$/),
  ).toBeVisible();
  const row = page
    .getByRole("row")
    .filter({ hasText: "globex" })
    .filter({ hasNotText: /copied|linked/ });
  await expect(row.getByRole("cell").nth(4)).toHaveText(/^ok/);

  await page.goto(`/tenants/${globex.id}`);
  await expect(page.getByText(/Last backup:/)).toBeVisible();
  await expect(page.getByText(/pnpm sigil restore --tenant globex --from .+sigil-backup-/)).toBeVisible();
  await page.getByRole("button", { name: "Back up now" }).click();
  await expect(page.getByText("Backup taken").first()).toBeVisible({ timeout: 30_000 });

  await page.getByLabel("Reason (shown to its users)").fill("Checking the restore procedure");
  await page.getByRole("button", { name: "Start maintenance" }).click();
  await expect(page.getByText("This workspace is in maintenance")).toBeVisible();
  expect((await admin.tenants.getById.query({ id: globex.id })).maintenance?.reason).toBe("Checking the restore procedure");
  await page.getByRole("button", { name: "End maintenance" }).click();
  await expect(page.getByText("This workspace is in maintenance")).toHaveCount(0);
  expect((await admin.tenants.getById.query({ id: globex.id })).maintenance).toBeNull();
});
