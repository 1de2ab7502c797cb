import { readdirSync } from "node:fs";
import { TRPCClientError, type AppRouter } from "@sigil/client";
import { expect, test, type Page } from "@playwright/test";
import { startFakeOpenAI } from "../../packages/api/test/fakes/openai.ts";
import type { FakeProvider } from "../../packages/api/test/fakes/server.ts";
import { adminClient, adminUrl, DEMO, FAKE_PORTS, POSTGRES_PORT, workspaceClient } from "../support/env.ts";
import { openNewPromptForm, signInOnPage } from "../support/pages.ts";
import { createSiteData, openArea, resolvePath, siteAreas, visit } from "../support/site-pages.ts";

/**
 * `pnpm start` on PostgreSQL (README: Running on PostgreSQL). The `postgres` project's server
 * (playwright.config.ts) is `pnpm start` with DATABASE_URL naming a private PostgreSQL cluster:
 * it installed the roles and schemas, seeded the demo tenants and runs the worker. A user of acme
 * writes a prompt and runs it on a model provider (a local fake), the worker completes it, the
 * administrator finds the tenants, and every page of the site loads without an error.
 */
const STAMP = Date.now().toString(36);
const PROMPT = `Postgres welcome ${STAMP}`;
const PROVIDER = `pg-openai-${STAMP}`;
const KEY = `sk-pg-${STAMP}`;
const ADMIN = adminUrl(POSTGRES_PORT);
let fake: FakeProvider;

test.describe.configure({ mode: "serial" });

test.beforeAll(async () => {
  fake = await startFakeOpenAI({ port: FAKE_PORTS.openai, apiKey: KEY });
});

test.afterAll(async () => {
  await fake.close();
});

/** A page that loaded its data shows neither the error boundary nor an error alert in its content (Next's route announcer is an alert too). */
async function expectNoError(page: Page, what: string): Promise<void> {
  await expect(page.getByText("Could not load this page"), `${what}: error boundary`).toHaveCount(0);
  await expect(page.getByRole("main").getByRole("alert"), `${what}: error alert`).toHaveCount(0);
}

test("the server is ready, and its data directory holds no SQLite database", async ({ request }) => {
  const ready = await request.get(`http://localhost:${POSTGRES_PORT}/api/ready`);
  expect(ready.status()).toBe(200);
  expect(await ready.json()).toMatchObject({ status: "ready", checks: { shared: { ok: true }, tenant: { ok: true }, worker: { ok: true } } });
  const dataDir = `${process.env.E2E_DATA_DIR}-postgres`;
  expect(readdirSync(dataDir).filter((name) => name.endsWith(".sqlite"))).toEqual([]);
});

test("on acme a user creates a prompt, runs it on a model provider, and finds the execution in the list", async ({ page }) => {
  const acme = await workspaceClient("acme", POSTGRES_PORT);
  await acme.settings.saveProvider.mutate({
    identifier: PROVIDER,
    kind: "openai-compatible",
    baseUrl: `${fake.url}/v1`,
    apiKey: KEY,
    defaultModel: "fake-large",
  });

  await page.goto("/prompts");
  await signInOnPage(page, DEMO.acme.email, DEMO.acme.password);
  await expect(page.getByRole("heading", { name: /prompts/i }).first()).toBeVisible();
  await openNewPromptForm(page);
  await page.getByLabel("Name").fill(PROMPT);
  await page.getByLabel("Template").fill("Welcome {{customer}} to Acme.");
  await page.getByRole("button", { name: "Create prompt" }).click();
  await expect(page.getByRole("heading", { name: PROMPT })).toBeVisible();

  await page.getByRole("button", { name: "Run", exact: true }).click();
  const run = page.getByRole("dialog", { name: /^Run “/ });
  await run.getByLabel("Provider", { exact: true }).selectOption(PROVIDER);
  await run.getByLabel("customer").fill("Ada");
  await run.getByRole("button", { name: "Start execution" }).click();
  await expect(page.getByRole("region", { name: "Result" })).toContainText("echo: Welcome Ada to Acme.", { timeout: 30_000 });
  expect(fake.generations().at(-1)?.body).toMatchObject({ model: "fake-large" });

  await page.goto("/executions");
  const row = page.getByRole("row", { name: new RegExp(PROMPT) });
  await expect(row).toBeVisible();
  await expect(row).toContainText(/completed/i);
  await expectNoError(page, "executions");
});

test("the administrator finds the demo tenants and opens acme's page; backups say they do not apply", async ({ page }) => {
  // Signed in on the overview: the tenants page has an "Owner password" field of its own.
  await page.goto(`${ADMIN}/`);
  await signInOnPage(page, DEMO.admin.email, DEMO.admin.password);
  await page.goto(`${ADMIN}/tenants`);
  await expect(page.getByRole("cell", { name: "globex" }).first()).toBeVisible();
  await page.getByRole("row", { name: /acme/ }).getByRole("link").first().click();
  await expect(page.getByRole("heading", { name: /acme/i }).first()).toBeVisible();
  await expect(page.getByText("File backups do not apply to this installation")).toBeVisible();
  await expect(page.getByRole("button", { name: "Back up now" })).toHaveCount(0);
  await expectNoError(page, "tenant page");

  await page.goto(`${ADMIN}/health`);
  await expect(page.getByText(/stores its data in PostgreSQL \(DATABASE_URL\), so Sigil's file backups/)).toBeVisible();

  // Through the API too: a file backup or a check of SQLite files is refused with 412 and the reason.
  const admin = await adminClient(POSTGRES_PORT);
  for (const [what, attempt, reason] of [
    ["back up now", () => admin.tenants.backUpNow.mutate({}), /file backups \(copies of SQLite files\) do not apply.*pg_dump/],
    ["backup run", () => admin.maintenance.start.mutate({ kind: "backup" }), /file backups \(copies of SQLite files\) do not apply/],
    ["health run", () => admin.maintenance.start.mutate({ kind: "health" }), /integrity check of tenant files \(SQLite's quick_check\) does not apply/],
  ] as const) {
    const refused = await attempt().then(
      () => null,
      (error: unknown) => error,
    );
    expect(refused, what).toBeInstanceOf(TRPCClientError);
    expect((refused as TRPCClientError<AppRouter>).data?.httpStatus, what).toBe(412);
    expect((refused as TRPCClientError<AppRouter>).message, what).toMatch(reason);
  }
});

test("every page of the site loads without an error", async ({ browser }) => {
  test.setTimeout(240_000);
  const data = await createSiteData(POSTGRES_PORT);
  for (const area of siteAreas(POSTGRES_PORT)) {
    const { context, page } = await openArea(browser, area, { width: 1280, height: 800 });
    for (const [name, path] of Object.entries(area.pages)) {
      await visit(page, `${area.origin}${resolvePath(path, data)}`);
      await expectNoError(page, `${area.name}: ${name}`);
    }
    await context.close();
  }
});
