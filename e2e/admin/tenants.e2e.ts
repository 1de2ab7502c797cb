import { createSigilClient, signIn, TRPCClientError } from "@sigil/client";
import { expect, test } from "@playwright/test";
import { ADMIN_URL, adminClient, DEMO, PORT, workspaceUrl } from "../support/env.ts";
import { saveScreenshot, signInOnPage } from "../support/pages.ts";

const OWNER = { email: "bill@initech.test", name: "Bill Lumbergh", password: "initech-owner-password" };

test.describe.configure({ mode: "serial" });

test("the admin creates tenant initech with an owner, who then signs in on initech.localhost", async ({ page, browser }) => {
  await page.goto("/");
  await signInOnPage(page, DEMO.admin.email, DEMO.admin.password);
  await saveScreenshot(page, "admin-overview");
  await page.goto(`${ADMIN_URL}/tenants`);
  await expect(page.getByRole("heading", { name: /tenants/i }).first()).toBeVisible();
  await page.getByRole("button", { name: "Create tenant" }).first().click();
  await page.getByLabel("Name", { exact: true }).fill("Initech");
  await page.getByLabel("Slug").fill("initech");
  await page.getByLabel("Owner email").fill(OWNER.email);
  await page.getByLabel("Owner name").fill(OWNER.name);
  await page.getByLabel("Owner password").fill(OWNER.password);
  await page.getByRole("button", { name: "Create tenant" }).last().click();
  const created = page.getByRole("dialog", { name: "Tenant Initech created" });
  await expect(created).toBeVisible({ timeout: 15_000 });
  await expect(created.getByRole("link", { name: /Open workspace/ })).toHaveAttribute("href", workspaceUrl("initech", ""));
  await created.getByRole("button", { name: "Done" }).click();
  await expect(page.getByRole("dialog")).toHaveCount(0);
  await page.goto(`${ADMIN_URL}/tenants`);
  await expect(page.getByRole("cell", { name: "initech" }).first()).toBeVisible();
  await saveScreenshot(page, "admin-tenants");

  const ownerContext = await browser.newContext();
  const ownerPage = await ownerContext.newPage();
  await ownerPage.goto(workspaceUrl("initech", "/"));
  await signInOnPage(ownerPage, OWNER.email, OWNER.password);
  await expect(ownerPage.getByText(OWNER.name).or(ownerPage.getByText(OWNER.email)).first()).toBeVisible();
  await ownerContext.close();
});

test("suspending initech shows its pages as suspended and its API refuses; reactivating restores access", async ({ page }) => {
  await page.goto("/");
  await signInOnPage(page, DEMO.admin.email, DEMO.admin.password);
  await page.goto(`${ADMIN_URL}/tenants`);
  await page
    .getByRole("row", { name: /initech/ })
    .getByRole("link")
    .first()
    .click();
  await page.getByRole("button", { name: "Suspend" }).click();
  const confirm = page.getByRole("dialog").getByRole("button", { name: /Suspend/ });
  if (await confirm.count()) await confirm.click();
  await expect(page.getByText(/suspended/i).first()).toBeVisible();

  const tenantPage = await page.context().newPage();
  await tenantPage.goto(workspaceUrl("initech", "/"));
  await expect(tenantPage.getByText(/suspended/i).first()).toBeVisible();
  await saveScreenshot(tenantPage, "workspace-suspended");
  const refused = await signIn({ url: `http://initech.localhost:${PORT}`, email: OWNER.email, password: OWNER.password }).then(
    () => null,
    (error: unknown) => error,
  );
  expect(refused).toBeInstanceOf(TRPCClientError);
  expect((refused as TRPCClientError<never>).message).toMatch(/suspended/);

  await page.getByRole("button", { name: "Reactivate" }).click();
  const confirmReactivate = page.getByRole("dialog").getByRole("button", { name: /Reactivate/ });
  if (await confirmReactivate.count()) await confirmReactivate.click();
  await expect(page.getByText(/active/i).first()).toBeVisible();
  const { cookie } = await signIn({ url: `http://initech.localhost:${PORT}`, email: OWNER.email, password: OWNER.password });
  const me = await createSigilClient({ url: `http://initech.localhost:${PORT}`, cookie }).auth.me.query();
  expect(me.tenant.slug).toBe("initech");
  await tenantPage.goto(workspaceUrl("initech", "/"));
  await expect(tenantPage.getByText(/suspended/i)).toHaveCount(0);
});

test("with 30 more tenants the tenants page searches, sorts, filters and pages on the server, its state in the URL", async ({ page }) => {
  const admin = await adminClient();
  for (let i = 0; i < 30; i += 1) {
    const n = String(i).padStart(2, "0");
    await admin.tenants.create.mutate({
      name: `Bulk ${n}`,
      slug: `bulk-${n}`,
      plan: i % 2 === 0 ? "free" : "pro",
      settings: { features: [], limits: { users: 5, storage: 100, executions_per_month: 100 } },
      owner: { email: `owner@bulk-${n}.test`, name: `Owner ${n}` },
    });
  }
  const bulk07 = (await admin.tenants.list.query({ search: "bulk-07" })).tenants[0];
  if (!bulk07) throw new Error("bulk-07 is missing");
  await admin.tenants.suspend.mutate({ id: bulk07.id });
  const total = (await admin.tenants.list.query()).total;
  expect(total).toBeGreaterThanOrEqual(32);

  await page.goto("/");
  await signInOnPage(page, DEMO.admin.email, DEMO.admin.password);
  await page.goto(`${ADMIN_URL}/tenants`);
  // The create dialog has fields of the same names: the filters are the search region's.
  const filters = page.getByRole("search", { name: "Filter tenants" });
  const rows = page.getByRole("table").getByRole("row");
  const firstSlugCell = rows.nth(1).getByRole("cell").nth(1);
  await expect(page.getByTestId("tenant-total")).toHaveText(`${total} tenants`);
  await expect(rows).toHaveCount(26); // the header and a page of 25
  await expect(page.getByText(`Page 1 of ${Math.ceil(total / 25)}`)).toBeVisible();

  // Paging: the next page holds the rest.
  await page.getByRole("link", { name: "Next" }).click();
  await expect(page).toHaveURL(/[?&]page=2/);
  await expect(rows).toHaveCount(1 + (total - 25));

  // Search (debounced, literal): bulk-2x are ten tenants; the page starts again at 1.
  await filters.getByLabel("Search").fill("bulk-2");
  await expect(page).toHaveURL(/[?&]q=bulk-2/);
  await expect(page).not.toHaveURL(/page=/);
  await expect(page.getByTestId("tenant-total")).toHaveText("10 matching tenants");
  await expect(rows).toHaveCount(11);

  // Sorting by a header: slug ascending, then descending.
  await page.getByRole("button", { name: /^Slug/ }).click();
  await expect(page).toHaveURL(/sort=slug/);
  await expect(firstSlugCell).toHaveText("bulk-20");
  await page.getByRole("button", { name: /^Slug/ }).click();
  await expect(page).toHaveURL(/dir=desc/);
  await expect(firstSlugCell).toHaveText("bulk-29");
  await expect(page.getByRole("columnheader", { name: /^Slug/ })).toHaveAttribute("aria-sort", "descending");

  // The URL is the state: a reload shows the same view.
  await page.reload();
  await expect(filters.getByLabel("Search")).toHaveValue("bulk-2");
  await expect(firstSlugCell).toHaveText("bulk-29");

  // Status and plan filters.
  await filters.getByLabel("Search").fill("");
  await expect(page).not.toHaveURL(/q=/);
  await filters.getByLabel("Status").selectOption("suspended");
  await expect(page).toHaveURL(/status=suspended/);
  await expect(page.getByTestId("tenant-total")).toHaveText("1 matching tenant");
  await expect(firstSlugCell).toHaveText("bulk-07");
  await filters.getByLabel("Plan").selectOption("free");
  await expect(page.getByText("No tenants match")).toBeVisible();
  await page.getByRole("button", { name: "Clear filters" }).click();
  await expect(page.getByTestId("tenant-total")).toHaveText(`${total} tenants`);
  await saveScreenshot(page, "admin-tenants-paged");
});
