import { expect, test } from "@playwright/test";
import { DEMO } from "../support/env.ts";
import { saveScreenshot, signInOnPage } from "../support/pages.ts";

/**
 * The REST API as a new user meets it: the key dialog's example runs as shown, the reference page
 * renders every operation of the served OpenAPI document under the pages' CSP, and the live
 * server answers the REST routes in the documented shapes.
 */
test("a new key's curl example works, and the REST API reference lists every operation", async ({ page }) => {
  const cspViolations: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error" && /Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
  });

  await page.goto("/api-keys");
  await signInOnPage(page, DEMO.acme.email, DEMO.acme.password);
  await page.getByRole("button", { name: "Create API key" }).first().click();
  const dialog = page.getByRole("dialog");
  await dialog.getByLabel("Name").fill(`REST e2e ${Date.now()}`);
  // The default scopes read prompts and run and read executions: this key only reads prompts.
  await dialog.getByRole("checkbox", { name: /executions:run/ }).uncheck();
  await dialog.getByRole("checkbox", { name: /executions:read/ }).uncheck();
  await expect(dialog.getByRole("checkbox", { name: /prompts:read/ })).toBeChecked();
  await dialog.getByRole("button", { name: "Create key" }).click();
  const example = dialog.locator("pre");
  await expect(example).toContainText('curl -H "Authorization: Bearer sgl_');
  const command = (await example.textContent()) ?? "";
  const key = /Bearer (\S+)"/.exec(command)?.[1] ?? "";
  const url = /(http:\/\/\S+\/api\/v1\/prompts)/.exec(command)?.[1] ?? "";
  expect(url).toBe(`${new URL(page.url()).origin}/api/v1/prompts`);

  // The example, as curl would send it (from the browser: Node cannot resolve acme.localhost).
  const listed = await page.evaluate(
    async ({ url, key }) => {
      const response = await fetch(url, { headers: { authorization: `Bearer ${key}` }, credentials: "omit" });
      return { status: response.status, body: (await response.json()) as { total: number; data: { id: string; name: string }[] } };
    },
    { url, key },
  );
  expect(listed.status).toBe(200);
  expect(listed.body.total).toBeGreaterThan(0);
  const first = listed.body.data[0];
  if (!first) throw new Error("the demo workspace has no prompt");

  // The key's scopes are enforced: it may read prompts, not start executions.
  const refused = await page.evaluate(
    async ({ origin, key, promptId }) => {
      const response = await fetch(`${origin}/api/v1/executions`, {
        method: "POST",
        headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
        body: JSON.stringify({ promptId, input: {} }),
        credentials: "omit",
      });
      return { status: response.status, body: (await response.json()) as { code: string; message: string } };
    },
    { origin: new URL(url).origin, key, promptId: first.id },
  );
  expect(refused).toEqual({
    status: 403,
    body: expect.objectContaining({ code: "FORBIDDEN", message: 'This API key lacks the "executions:run" scope.' }) as unknown,
  });

  // The reference, linked from the dialog, renders every operation of the document.
  const document = (await (await page.request.get(`http://localhost:${new URL(url).port}/api/v1/openapi.json`)).json()) as {
    openapi: string;
    paths: Record<string, Record<string, { summary: string }>>;
  };
  expect(document.openapi).toBe("3.1.0");
  const referencePage = page.waitForEvent("popup");
  await dialog.getByRole("link", { name: "REST API reference" }).click();
  const reference = await referencePage;
  reference.on("console", (message) => {
    if (message.type() === "error" && /Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
  });
  await expect(reference.getByRole("heading", { level: 1, name: "Sigil REST API reference" })).toBeVisible();
  const operations = Object.entries(document.paths).flatMap(([path, item]) => Object.entries(item).map(([method, operation]) => ({ path, method, operation })));
  expect(operations.length).toBeGreaterThanOrEqual(9);
  for (const { path, method, operation } of operations) {
    const card = reference.locator("section[id^='operation-']", { hasText: operation.summary }).filter({ hasText: path });
    await expect(card, `${method} ${path}`).toHaveCount(1);
    await expect(card.getByText(method.toUpperCase(), { exact: true })).toBeVisible();
    await expect(card.getByRole("table", { name: "Parameters" })).toBeVisible();
    await expect(card.getByText("Responses")).toBeVisible();
    await expect(card.locator("pre")).toContainText(`curl`);
    await expect(card.locator("pre")).toContainText(`/api/v1${path.replace(/\{([^}]+)\}/g, "<$1>")}`);
  }
  await expect(reference.locator("#operation-executions-create").getByRole("table", { name: "Request body (JSON)" })).toContainText("deploymentId");
  await expect(reference.locator("#schema-Execution")).toContainText("promptVersion");
  await saveScreenshot(reference, "workspace-api-reference");
  expect(cspViolations).toEqual([]);
});
