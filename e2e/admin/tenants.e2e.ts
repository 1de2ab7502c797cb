import { createSigilClient, signIn, TRPCClientError } from "@sigil/client";
import { expect, test } from "@playwright/test";
import { ADMIN_URL, DEMO, PORT, workspaceUrl } from "../support/env.ts";
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
  await expect(page.getByRole("dialog")).toHaveCount(0, { timeout: 15_000 });
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
