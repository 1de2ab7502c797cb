import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createSigilClient, signIn } from "@sigil/client";
import { expect, test } from "@playwright/test";
import { adminClient, DEMO, PORT, workspaceClient } from "../support/env.ts";
import { saveScreenshot, signInOnPage } from "../support/pages.ts";

test("an upload beyond the storage quota shows the quota error and stores nothing", async ({ page }) => {
  const admin = await adminClient();
  const acmeTenant = (await admin.tenants.list.query({ search: "acme" })).tenants.find((t) => t.slug === "acme");
  if (!acmeTenant) throw new Error("acme is missing");
  const acme = await workspaceClient("acme");
  const before = await acme.files.list.query({ pageSize: 100 });
  const file = join(tmpdir(), `big-${Date.now()}.bin`);
  writeFileSync(file, Buffer.alloc(2 * 1024 * 1024, 7));
  // The plan's smallest storage limit is 100 MB: lower acme to it and fill it up to 1 MB below,
  // so the 2 MB upload from the browser is over the quota.
  await admin.tenants.update.mutate({ id: acmeTenant.id, settings: { limits: { storage: 100 } } });
  try {
    const MB = 1024 * 1024;
    let free = (await acme.files.usage.query()).remainingBytes;
    const upload = (bytes: number) =>
      acme.files.upload.mutate({ name: "filler.bin", mimeType: "application/octet-stream", contentBase64: Buffer.alloc(bytes, 1).toString("base64") });
    for (; free > 10 * MB; free -= 9 * MB) await upload(9 * MB);
    if (free > MB) await upload(free - MB);
    const filled = await acme.files.list.query({ pageSize: 100 });
    await page.goto("/files");
    await signInOnPage(page, DEMO.acme.email, DEMO.acme.password);
    await page.getByLabel("Upload file").setInputFiles(file);
    const alert = page.getByRole("alert").filter({ hasText: /storage/i });
    await expect(alert).toBeVisible({ timeout: 30_000 });
    await expect(alert).toContainText(/exceed|allows|limit/i);
    await saveScreenshot(page, "workspace-files-quota");
    const after = await acme.files.list.query({ pageSize: 100 });
    expect(after.total).toBe(filled.total);
  } finally {
    await admin.tenants.update.mutate({ id: acmeTenant.id, settings: { limits: { storage: 500 } } });
    for (const f of (await acme.files.list.query({ pageSize: 100 })).data) {
      if (!before.data.some((b) => b.id === f.id)) await acme.files.delete.mutate({ id: f.id });
    }
  }
});

test("a viewer sees no edit controls, and the server refuses a viewer's write", async ({ page }) => {
  const owner = await workspaceClient("acme");
  const email = `viewer-${Date.now()}@acme.test`;
  const invited = await owner.users.invite.mutate({ email, name: "Vera Viewer", role: "viewer" });
  const url = `http://acme.localhost:${PORT}`;
  const password = "viewer-demo-password";
  await createSigilClient({ url }).auth.acceptInvitation.mutate({ token: invited.invitationToken, password });

  await page.goto("/prompts");
  await signInOnPage(page, email, password);
  await expect(page.getByRole("heading", { name: /prompts/i }).first()).toBeVisible();
  await expect(page.getByRole("link", { name: "New prompt" })).toHaveCount(0);
  await expect(page.getByRole("button", { name: "New prompt" })).toHaveCount(0);
  const first = page.getByRole("link", { name: "Support reply" });
  await first.click();
  await expect(page.getByRole("heading", { name: "Support reply" })).toBeVisible();
  for (const name of ["Save", "Run", "Delete", "Restore this version"]) await expect(page.getByRole("button", { name })).toHaveCount(0);
  await saveScreenshot(page, "workspace-viewer");
  await page.goto("/files");
  await expect(page.getByLabel("Upload file")).toHaveCount(0);

  const { cookie } = await signIn({ url, email, password });
  const viewer = createSigilClient({ url, cookie });
  await expect(viewer.prompts.create.mutate({ name: "sneaky", template: "x" })).rejects.toThrow(/needs the user role/);
});
