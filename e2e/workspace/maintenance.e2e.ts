import { expect, test } from "@playwright/test";
import { adminClient, DEMO, workspaceClient, workspaceUrl } from "../support/env.ts";
import { signInOnPage } from "../support/pages.ts";

const REASON = `Restoring last night's backup ${Date.now()}`;

/**
 * A workspace in maintenance (set by a system administrator): every page shows the banner with
 * the reason, reading works, and a save is refused with the reason while nothing is written.
 * Uses globex, so the acme scenarios of this project are not affected.
 */
test("globex in maintenance shows the banner on every page and refuses a new prompt, then works again", async ({ page }) => {
  const admin = await adminClient();
  const globex = (await admin.tenants.list.query({ search: "globex" })).tenants.find((tenant) => tenant.slug === "globex");
  if (!globex) throw new Error("the demo tenant globex is missing");
  const client = await workspaceClient("globex");
  const promptsBefore = (await client.prompts.list.query({ pageSize: 100 })).total;
  await admin.tenants.enterMaintenance.mutate({ id: globex.id, reason: REASON, until: new Date(Date.now() + 30 * 60_000) });
  try {
    await page.goto(workspaceUrl("globex", "/prompts"));
    await signInOnPage(page, DEMO.globex.email, DEMO.globex.password);
    const banner = page.getByRole("status").filter({ hasText: "This workspace is in maintenance" });
    await expect(banner).toContainText(REASON);
    await expect(page.getByRole("heading", { name: /prompts/i }).first()).toBeVisible();

    await page.goto(workspaceUrl("globex", "/executions"));
    await expect(banner).toContainText(REASON);

    await page.goto(workspaceUrl("globex", "/prompts/new"));
    await expect(banner).toBeVisible();
    await page.getByLabel("Name").fill("Written during maintenance");
    await page.getByLabel("Template").fill("Hello {{customer}}");
    await page.getByRole("button", { name: "Create prompt" }).click();
    await expect(page.getByText(/is in maintenance \(Restoring last night's backup/).first()).toBeVisible();
    expect((await client.prompts.list.query({ pageSize: 100 })).total).toBe(promptsBefore);
  } finally {
    await admin.tenants.leaveMaintenance.mutate({ id: globex.id });
  }
  await page.goto(workspaceUrl("globex", "/prompts"));
  await expect(page.getByRole("heading", { name: /prompts/i }).first()).toBeVisible();
  await expect(page.getByText("This workspace is in maintenance")).toHaveCount(0);
});
