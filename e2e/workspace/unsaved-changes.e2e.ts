import { expect, test, type Page } from "@playwright/test";
import { DEMO, workspaceClient } from "../support/env.ts";
import { signInOnPage } from "../support/pages.ts";

/**
 * Unsaved-change guards and drafts (apps/web/src/lib/unsaved-changes.ts): leaving an edited
 * prompt by the sidebar, "← Prompts", Back or reload asks; the new-prompt form and the Run dialog
 * keep their input across a reload.
 */

const STAMP = Date.now();
let promptId = "";
let promptName = "";

test.beforeAll(async () => {
  const acme = await workspaceClient("acme");
  promptName = `Guarded prompt ${STAMP}`;
  const prompt = await acme.prompts.create.mutate({ name: promptName, template: "Hello {{customer}}." });
  promptId = prompt.id;
});

async function signIn(page: Page, path: string) {
  await page.goto(path);
  await signInOnPage(page, DEMO.acme.email, DEMO.acme.password);
}

const discardDialog = (page: Page) => page.getByRole("dialog", { name: "Discard unsaved changes?" });

test("an edited template asks before the sidebar and “← Prompts” leave: Stay keeps the edits, Discard leaves", async ({ page }) => {
  await signIn(page, `/prompts/${promptId}`);
  const template = page.getByLabel("Template");
  await expect(template).toHaveValue("Hello {{customer}}.");
  await template.fill("Hello {{customer}}, edited.");

  await page.getByRole("navigation", { name: "Workspace" }).getByRole("link", { name: "Executions" }).click();
  await expect(discardDialog(page)).toBeVisible();
  await discardDialog(page).getByRole("button", { name: "Stay" }).click();
  await expect(discardDialog(page)).toBeHidden();
  await expect(page).toHaveURL(new RegExp(`/prompts/${promptId}$`));
  await expect(template).toHaveValue("Hello {{customer}}, edited.");

  await page.getByRole("link", { name: "← Prompts" }).click();
  await expect(discardDialog(page)).toBeVisible();
  await discardDialog(page).getByRole("button", { name: "Discard" }).click();
  await expect(page).toHaveURL(/\/prompts$/);
  await expect(page.getByRole("heading", { name: "Prompts" }).first()).toBeVisible();

  // Nothing was saved, and a clean editor leaves without a question.
  await page.getByRole("link", { name: promptName }).click();
  await expect(page.getByLabel("Template")).toHaveValue("Hello {{customer}}.");
  await page.getByRole("navigation", { name: "Workspace" }).getByRole("link", { name: "Executions" }).click();
  await expect(page).toHaveURL(/\/executions$/);
  await expect(discardDialog(page)).toHaveCount(0);
});

test("the editor takes no typing before the page is live, so no keystroke is mangled by hydration", async ({ page }) => {
  await signIn(page, "/prompts");
  // Hold the app's scripts: the server-rendered editor is on screen but React does not own it yet.
  let release: () => void = () => undefined;
  const released = new Promise<void>((resolve) => (release = resolve));
  await page.route("**/_next/static/**/*.js", async (route) => {
    await released;
    await route.continue();
  });
  await page.goto(`/prompts/${promptId}`, { waitUntil: "commit" });
  const template = page.getByLabel("Template");
  await expect(template).toHaveValue("Hello {{customer}}.");
  await expect(template).not.toBeEditable();

  release();
  await expect(template).toBeEditable();
  await template.fill("Typed once live.");
  await expect(template).toHaveValue("Typed once live.");
  await page.unrouteAll({ behavior: "ignoreErrors" });
});

test("Back asks too: Stay keeps the edits and the URL, Discard goes back", async ({ page }) => {
  await signIn(page, "/prompts");
  await page.getByRole("link", { name: promptName }).click();
  const template = page.getByLabel("Template");
  await expect(template).toHaveValue("Hello {{customer}}.");
  await template.fill("Back button edit");
  // A tab switch rewrites the URL while dirty; Stay must come back to it.
  await page.getByRole("tab", { name: /Versions/ }).click();
  await expect(page).toHaveURL(/tab=versions/);

  await page.goBack({ waitUntil: "commit" }).catch(() => undefined);
  await expect(discardDialog(page)).toBeVisible();
  await discardDialog(page).getByRole("button", { name: "Stay" }).click();
  await expect(page).toHaveURL(new RegExp(`/prompts/${promptId}\\?tab=versions$`));
  await page.getByRole("tab", { name: /Editor/ }).click();
  await expect(page.getByLabel("Template")).toHaveValue("Back button edit");

  await page.goBack({ waitUntil: "commit" }).catch(() => undefined);
  await expect(discardDialog(page)).toBeVisible();
  await discardDialog(page).getByRole("button", { name: "Discard" }).click();
  await expect(page).toHaveURL(/\/prompts$/);
  await expect(page.getByRole("heading", { name: "Prompts" }).first()).toBeVisible();
});

test("saving removes the guard: Back then leaves at once", async ({ page }) => {
  await signIn(page, "/prompts");
  await page.getByRole("link", { name: promptName }).click();
  await page.getByLabel("Template").fill("Hello {{customer}}!");
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByText(/Saved as v2/)).toBeVisible();
  await page.goBack();
  await expect(page).toHaveURL(/\/prompts$/);
  await expect(discardDialog(page)).toHaveCount(0);
});

test("reload with unsaved edits shows the browser's leave-page dialog", async ({ page }) => {
  await signIn(page, `/prompts/${promptId}`);
  const template = page.getByLabel("Template");
  await expect(template).toHaveValue(/Hello/);
  // Typed before the page is interactive, an edit can be replaced by the loaded prompt: type until it holds.
  await expect(async () => {
    await template.fill("Reload edit");
    await expect(template).toHaveValue("Reload edit", { timeout: 1_000 });
  }).toPass();
  await expect(page.getByText(/^Unsaved changes · saving makes/)).toBeVisible();
  const dialogs: string[] = [];
  page.on("dialog", (dialog) => {
    dialogs.push(dialog.type());
    void dialog.dismiss();
  });
  // Dismissed: the reload is cancelled and the edits stay.
  await page.reload({ timeout: 3_000 }).catch(() => undefined);
  expect(dialogs).toEqual(["beforeunload"]);
  await expect(page.getByLabel("Template")).toHaveValue("Reload edit");
});

test("the new-prompt form keeps its draft across a reload, announced with Discard", async ({ page }) => {
  await signIn(page, "/prompts/new");
  await page.getByLabel("Name").fill(`Draft ${STAMP}`);
  await page.getByLabel("Template").fill("Dear {{customer}},");
  page.on("dialog", (dialog) => void dialog.accept());
  await page.reload();
  await expect(page.getByText("Draft restored")).toBeVisible();
  await expect(page.getByLabel("Name")).toHaveValue(`Draft ${STAMP}`);
  await expect(page.getByLabel("Template")).toHaveValue("Dear {{customer}},");

  await page.getByRole("button", { name: "Discard" }).click();
  await expect(page.getByLabel("Name")).toHaveValue("");
  await page.reload();
  await expect(page.getByLabel("Name")).toHaveValue("");
  await expect(page.getByText("Draft restored")).toHaveCount(0);
});

test("a created prompt leaves no draft behind", async ({ page }) => {
  await signIn(page, "/prompts/new");
  const name = `Created ${STAMP}`;
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("Template").fill("Hi {{who}}");
  await page.getByRole("button", { name: "Create prompt" }).click();
  await expect(page.getByRole("heading", { name })).toBeVisible();
  await page.goto("/prompts/new");
  await expect(page.getByLabel("Name")).toHaveValue("");
});

test("the Run dialog asks before Escape closes it and keeps its input across a reload", async ({ page }) => {
  await signIn(page, `/prompts/${promptId}`);
  await page.getByRole("button", { name: "Run", exact: true }).click();
  const run = page.getByRole("dialog", { name: /^Run/ });
  await run.getByLabel("customer").fill("Grace");

  await page.keyboard.press("Escape");
  await expect(discardDialog(page)).toBeVisible();
  await discardDialog(page).getByRole("button", { name: "Stay" }).click();
  await expect(run).toBeVisible();
  await expect(run.getByLabel("customer")).toHaveValue("Grace");

  page.on("dialog", (dialog) => void dialog.accept());
  await page.reload();
  await page.getByRole("button", { name: "Run", exact: true }).click();
  await expect(run.getByText("Draft restored")).toBeVisible();
  await expect(run.getByLabel("customer")).toHaveValue("Grace");

  await run.getByRole("button", { name: "Start execution" }).click();
  await expect(page).toHaveURL(/\/executions\/[^/]+$/);
  await page.goto(`/prompts/${promptId}`);
  await page.getByRole("button", { name: "Run", exact: true }).click();
  await expect(run.getByLabel("customer")).toHaveValue("");
  await expect(run.getByText("Draft restored")).toHaveCount(0);
});

test("variables used only inside a section are not offered as inputs", async ({ page }) => {
  await signIn(page, "/prompts/new");
  await page.getByLabel("Template").fill("Hi {{customer}}\n{{#items}}- {{title}}{{/items}}{{^items}}Nothing for {{fallback}}{{/items}}");
  const preview = page.getByRole("region", { name: "Preview" });
  await expect(preview.getByLabel("items")).toBeVisible();
  await expect(preview.getByLabel("customer")).toBeVisible();
  await expect(preview.getByLabel("fallback")).toBeVisible();
  await expect(preview.getByLabel("title")).toHaveCount(0);
});

test("a variable left empty is named with a warning that does not block", async ({ page }) => {
  await signIn(page, "/prompts/new");
  await page.getByLabel("Template").fill("Hello {{customer}}.");
  const preview = page.getByRole("region", { name: "Preview" });
  await expect(preview.getByText("customer is empty; it will render as nothing.")).toBeVisible();
  await preview.getByLabel("customer").fill("Ada");
  await expect(preview.getByText("Hello Ada.")).toBeVisible();
  await expect(preview.getByText("customer is empty; it will render as nothing.")).toHaveCount(0);

  await page.goto(`/prompts/${promptId}`);
  await page.getByRole("button", { name: "Run", exact: true }).click();
  const run = page.getByRole("dialog", { name: /^Run/ });
  await expect(run.getByText("customer is empty; it will render as nothing.")).toBeVisible();
  await expect(run.getByRole("button", { name: "Start execution" })).toBeEnabled();
});

test("name and description are never cut: a counter near the limit, a clear error past it", async ({ page }) => {
  await signIn(page, "/prompts/new");
  const name = page.getByLabel("Name");
  await name.fill("n".repeat(205));
  await expect(name).toHaveValue("n".repeat(205));
  await expect(page.getByText("205 / 200 characters")).toBeVisible();
  await page.getByLabel("Template").fill("x");
  await page.getByRole("button", { name: "Create prompt" }).click();
  await expect(page.getByText("At most 200 characters.")).toBeVisible();
  await expect(page).toHaveURL(/\/prompts\/new$/);
  await page.getByLabel("Description").fill("d".repeat(1_700));
  await expect(page.getByText("1,700 / 2,000 characters")).toBeVisible();
});

test("the deployment form names every missing field in words, not validator text", async ({ page }) => {
  await signIn(page, "/deployments");
  await page.getByRole("button", { name: "New deployment" }).first().click();
  const form = page.getByRole("dialog", { name: "New deployment" });
  await form.getByLabel("Model").fill("");
  await form.getByRole("button", { name: "Create deployment" }).click();
  await expect(form.getByText("Enter a name for the deployment.")).toBeVisible();
  await expect(form.getByText("Enter the model to use.")).toBeVisible();
  await expect(form).not.toContainText(/too small|expected|invalid input/i);
  // Typed input makes the dialog ask before Escape closes it.
  await form.getByLabel("Name").fill("Not Valid");
  await form.getByRole("button", { name: "Create deployment" }).click();
  await expect(form.getByText("Use lower-case letters, digits, dots, dashes and underscores.")).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(discardDialog(page)).toBeVisible();
  await discardDialog(page).getByRole("button", { name: "Discard" }).click();
  await expect(form).toBeHidden();
});
