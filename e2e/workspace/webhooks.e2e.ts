import { createHmac } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import { expect, test } from "@playwright/test";
import { DEMO, FAKE_PORTS, workspaceClient } from "../support/env.ts";
import { saveScreenshot, signInOnPage } from "../support/pages.ts";

/**
 * Webhooks on acme, as an admin sets one up: add it pointing at a local receiver (allowed by the
 * e2e server's SIGIL_OUTBOUND_ALLOW), copy the secret shown once, send a test event and see it
 * delivered in the log; then run a prompt and receive `execution.completed` with a valid
 * signature. The worker of the e2e server sends them (never the request).
 */
const STAMP = Date.now().toString(36);
const HOOK = `e2e-${STAMP}`;

interface Received {
  headers: IncomingHttpHeaders;
  body: string;
}

const received: Received[] = [];
let server: Server;

/** Verified as docs/webhooks.md tells a receiver to: HMAC-SHA256 of "<t>.<raw body>" with the secret. */
function signatureValid(secret: string, request: Received): boolean {
  const match = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(request.headers["sigil-signature"]));
  if (!match) return false;
  const age = Math.abs(Date.now() / 1000 - Number(match[1]));
  return age < 300 && createHmac("sha256", secret).update(`${match[1]}.${request.body}`).digest("hex") === match[2];
}

test.describe.configure({ mode: "serial" });
test.use({ permissions: ["clipboard-read", "clipboard-write"] });

test.beforeAll(async () => {
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      received.push({ headers: request.headers, body: Buffer.concat(chunks).toString("utf8") });
      response.writeHead(200).end("ok");
    });
  });
  await new Promise<void>((resolve) => server.listen(FAKE_PORTS.webhookReceiver, "127.0.0.1", resolve));
});

test.afterAll(async () => {
  const acme = await workspaceClient("acme");
  await acme.settings.delete.mutate({ type: "webhook", identifier: HOOK }).catch(() => undefined);
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

test("add a webhook, copy its secret, send a test event, receive a signed execution.completed", async ({ page }) => {
  await page.goto("/settings");
  await signInOnPage(page, DEMO.acme.email, DEMO.acme.password);
  await expect(page.getByRole("heading", { name: "Settings", level: 1 })).toBeVisible();

  await page.getByRole("button", { name: "Add webhook" }).click();
  const form = page.getByRole("dialog", { name: "Add a webhook" });
  await form.getByLabel("Identifier").fill(HOOK);
  await form.getByLabel("URL").fill(`http://127.0.0.1:${FAKE_PORTS.webhookReceiver}/sigil`);
  await expect(form.getByRole("checkbox", { name: /execution\.completed/ })).toBeChecked();
  await form.getByRole("checkbox", { name: /batch\.completed/ }).check();
  await form.getByRole("button", { name: "Add webhook" }).click();

  // The secret, shown this once, with a copy button.
  const shown = page.getByRole("dialog", { name: `Signing secret of ${HOOK}` });
  const field = shown.getByLabel("Signing secret");
  const secret = await field.inputValue();
  expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
  await shown.getByRole("button", { name: /^Copy/ }).click();
  await expect(shown.getByRole("button", { name: "Copied" })).toBeVisible();
  expect(await page.evaluate<string>("navigator.clipboard.readText()")).toBe(secret);
  await saveScreenshot(page, "workspace-webhook-secret");
  await shown.getByRole("button", { name: "Done" }).click();
  await expect(page.getByRole("list", { name: "Webhooks" })).toContainText(`••••${secret.slice(-4)}`);

  // Send a test event from the delivery log: the worker delivers it, the log shows it.
  await page.getByRole("button", { name: `Deliveries of webhook ${HOOK}` }).click();
  const log = page.getByRole("dialog", { name: `Deliveries of ${HOOK}` });
  await log.getByRole("button", { name: "Send test event" }).click();
  const row = log.getByTestId("delivery-row").first();
  await expect(row).toContainText("ping");
  await expect(row).toContainText("delivered", { timeout: 20_000 });
  await expect(row).toContainText("HTTP 200");
  const ping = received.find((request) => request.headers["sigil-event"] === "ping");
  expect(ping && signatureValid(secret, ping)).toBe(true);
  expect(ping?.headers["user-agent"]).toBe("Sigil-Webhooks");
  await saveScreenshot(page, "workspace-webhook-deliveries");

  // Run a prompt with the template provider: execution.completed arrives, signed.
  const acme = await workspaceClient("acme");
  const prompt = await acme.prompts.create.mutate({ name: `Webhook prompt ${STAMP}`, template: "Hello {{who}}!" });
  const execution = await acme.executions.create.mutate({ promptId: prompt.id, input: { who: "webhooks" }, provider: "template" });
  await expect
    .poll(() => received.find((request) => request.body.includes(execution.id) && request.headers["sigil-event"] === "execution.completed") !== undefined, {
      timeout: 30_000,
    })
    .toBe(true);
  const completed = received.find((request) => request.body.includes(execution.id));
  if (!completed) throw new Error("no execution.completed");
  expect(signatureValid(secret, completed)).toBe(true);
  expect(signatureValid("whsec_wrong", completed)).toBe(false);
  const event = JSON.parse(completed.body) as {
    id: string;
    type: string;
    tenant: { slug: string };
    data: { id: string; result: string; prompt: { name: string } };
  };
  expect(event).toMatchObject({
    type: "execution.completed",
    tenant: { slug: "acme" },
    data: { id: execution.id, result: "Hello webhooks!", prompt: { name: prompt.name } },
  });
  expect(completed.headers["sigil-event-id"]).toBe(event.id);

  await log.getByRole("button", { name: "Refresh" }).click();
  await expect(log.getByTestId("delivery-row").first()).toContainText("execution.completed");
  await acme.prompts.delete.mutate({ id: prompt.id });
});
