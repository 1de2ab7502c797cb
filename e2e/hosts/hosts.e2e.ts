import { expect, test } from "@playwright/test";
import { PORT } from "../support/env.ts";
import { saveScreenshot } from "../support/pages.ts";

test("the root host is a landing page that explains how to reach a workspace and shows no tenant data", async ({ page }) => {
  const response = await page.goto("/");
  expect(response?.status()).toBe(200);
  await expect(page.getByText(/acme|globex/i)).toHaveCount(0);
  await expect(page.getByText(/localhost/).first()).toBeVisible();
  await saveScreenshot(page, "landing");
});

test("an unknown workspace gets a real 404 page at once", async ({ page }) => {
  const started = Date.now();
  const response = await page.goto(`http://initech-nope.localhost:${PORT}/`);
  expect(response?.status()).toBe(404);
  await expect(page.getByText("This workspace does not exist")).toBeVisible();
  // No retries of a 404: the page is complete well within a second or two.
  expect(Date.now() - started).toBeLessThan(5_000);
  await saveScreenshot(page, "workspace-404");
});

for (const host of ["-acme.localhost", "a.b.localhost", "xn--cme-8cd.localhost"]) {
  test(`a hostile host ${host} shows the 404 page`, async ({ page }) => {
    const response = await page.goto(`http://${host}:${PORT}/`);
    expect(response?.status()).toBe(404);
    await expect(page.getByText("This workspace does not exist")).toBeVisible();
  });
}

test("a hostile path prefix shows the 404 page", async ({ page }) => {
  const response = await page.goto(`/tenant/ACME%2F..%2Fx/`);
  expect(response?.status()).toBe(404);
});
