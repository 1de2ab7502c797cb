import { expect, test } from "@playwright/test";
import { DEMO } from "../support/env.ts";
import { saveScreenshot, signInOnPage } from "../support/pages.ts";

test.describe.configure({ mode: "serial" });

test.beforeEach(async ({ page }) => {
  await page.goto("/");
  await signInOnPage(page, DEMO.admin.email, DEMO.admin.password);
});

test("health: a run starts on the server, its progress reaches every tenant, results page and filter; the last run shows again", async ({ page }) => {
  await page.goto("/health");
  // The page shows two runs (the health check and the usage repair): look inside the first.
  const panel = page.getByRole("region", { name: "Health check" });
  await page.getByRole("button", { name: "Run check" }).click();
  const bar = panel.getByRole("progressbar", { name: /Tenants checked|Checking tenants/ });
  await expect(bar).toHaveAttribute("aria-valuetext", /^(\d+) of \1 tenants · 0 failed$/, { timeout: 30_000 });
  // The status line and its screen-reader announcement both say it.
  await expect(panel.getByText(/Finished without a problem/).first()).toBeVisible();
  await expect(panel.getByRole("cell", { name: "acme" })).toBeVisible();
  await saveScreenshot(page, "admin-health");

  await panel.getByLabel("Show").selectOption("problem");
  await expect(page).toHaveURL(/outcome=problem/);
  await expect(panel.getByText("No result of this kind.")).toBeVisible();
  await panel.getByLabel("Show").selectOption("");
  await expect(panel.getByRole("cell", { name: "acme" })).toBeVisible();

  // Opened again, the page shows the run it left, without starting another.
  await page.goto("/health");
  await expect(panel.getByRole("progressbar", { name: "Tenants checked" })).toHaveAttribute("aria-valuetext", /^(\d+) of \1 tenants · 0 failed$/);
  await expect(panel.getByRole("cell", { name: "acme" })).toBeVisible();
});

test("usage repair: a run on the Health page visits every tenant and finds the usage numbers consistent", async ({ page }) => {
  await page.goto("/health");
  const panel = page.getByRole("region", { name: "Usage repair" });
  await expect(panel.getByText(/recomputes the dashboard's usage numbers/i)).toBeVisible();
  await panel.getByRole("button", { name: "Run repair" }).click();
  await expect(panel.getByRole("progressbar", { name: /Tenants repaired|Repairing tenants/ })).toHaveAttribute(
    "aria-valuetext",
    /^(\d+) of \1 tenants · 0 failed$/,
    { timeout: 30_000 },
  );
  await expect(panel.getByRole("cell", { name: "acme" })).toBeVisible();
  await panel.getByLabel("Show").selectOption("repaired");
  await expect(page).toHaveURL(/repairOutcome=repaired/);
  await expect(panel.getByText("No result of this kind.")).toBeVisible();
});

test("migrations: Migrate all runs on the server and reports every tenant up to date", async ({ page }) => {
  await page.goto("/migrations");
  await page.getByRole("button", { name: "Migrate all" }).click();
  await expect(page.getByRole("progressbar", { name: /Tenants migrated|Migrating tenants/ })).toHaveAttribute(
    "aria-valuetext",
    /^(\d+) of \1 tenants · 0 failed$/,
    { timeout: 30_000 },
  );
  await expect(page.getByText(/up to date/).first()).toBeVisible();
  await saveScreenshot(page, "admin-migrations");
});

test("migrations: the per-tenant table pages and filters by state on the server, its view in the URL", async ({ page }) => {
  await page.goto("/migrations?size=1");
  // The migration run's results have a table and a pager of their own: look inside the tenant section.
  const section = page.getByRole("region", { name: "Schema per tenant" });
  const pager = section.getByRole("navigation", { name: "Pagination" });
  await expect(pager).toContainText(/Page 1 of (\d+) · \1 tenants/);
  const firstSlug = await section.getByRole("table").getByRole("link").first().textContent();
  await pager.getByRole("link", { name: "Next" }).click();
  await expect(page).toHaveURL(/size=1&page=2/);
  await expect(pager).toContainText(/Page 2 of/);
  await expect(section.getByRole("table").getByRole("link")).toHaveCount(1);
  await expect(section.getByRole("table").getByRole("link").first()).not.toHaveText(firstSlug ?? "");

  await section.getByLabel("Show tenants").selectOption("behind");
  await expect(page).toHaveURL(/state=behind/);
  await expect(page).not.toHaveURL(/page=2/);
  await expect(section.getByText("No tenant in this state.")).toBeVisible();
  await section.getByLabel("Show tenants").selectOption("up_to_date");
  await expect(page).toHaveURL(/state=up_to_date/);
  await expect(section.getByRole("table").getByRole("link")).toHaveCount(1);
});
