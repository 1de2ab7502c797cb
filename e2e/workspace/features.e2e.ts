import { TRPCClientError } from "@sigil/client";
import { expect, test } from "@playwright/test";
import { DEMO, workspaceClient, workspaceUrl } from "../support/env.ts";
import { saveScreenshot, signInOnPage } from "../support/pages.ts";

/** globex has no features (demo seed): no Files or Deployments in the sidebar, a message on their URLs, FORBIDDEN from the API. */
test("globex has no Files or Deployments: hidden in the sidebar, a clear message at their URLs, refused by the API", async ({ page }) => {
  await page.goto(workspaceUrl("globex", "/prompts"));
  await signInOnPage(page, DEMO.globex.email, DEMO.globex.password);
  const nav = page.getByRole("navigation", { name: "Workspace" });
  await expect(nav.getByRole("link", { name: "Prompts" })).toBeVisible();
  await expect(nav.getByRole("link", { name: "Files" })).toHaveCount(0);
  await expect(nav.getByRole("link", { name: "Deployments" })).toHaveCount(0);

  for (const [path, label] of [
    ["/files", "Files"],
    ["/deployments", "Deployments"],
  ] as const) {
    await page.goto(workspaceUrl("globex", path));
    await expect(page.getByRole("heading", { name: `${label} is not enabled for this workspace` })).toBeVisible();
  }
  await saveScreenshot(page, "workspace-feature-not-enabled");

  const globex = await workspaceClient("globex");
  const refused = await globex.files.list.query({}).then(
    () => null,
    (error: unknown) => error,
  );
  expect(refused).toBeInstanceOf(TRPCClientError);
  expect((refused as TRPCClientError<never>).message).toMatch(/^The files feature is not enabled for this workspace/);

  // acme has both.
  await page.goto("/prompts");
  await signInOnPage(page, DEMO.acme.email, DEMO.acme.password);
  await expect(nav.getByRole("link", { name: "Files" })).toBeVisible();
  await expect(nav.getByRole("link", { name: "Deployments" })).toBeVisible();
});
