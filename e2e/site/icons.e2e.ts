import { expect, test } from "@playwright/test";
import { ADMIN_URL, PORT, workspaceUrl } from "../support/env.ts";

// Opened in the browser: Chromium resolves *.localhost, Node does not (docs/architecture.md, Traps).
const HOSTS = { root: `http://localhost:${PORT}`, workspace: workspaceUrl("acme", ""), admin: ADMIN_URL };

for (const [name, origin] of Object.entries(HOSTS)) {
  test(`the ${name} host serves the Sigil icon at /favicon.ico and names its icons in every page`, async ({ page }) => {
    await page.goto(`${origin}/`);
    const links: string[] = [];
    for (const rel of ["icon", "apple-touch-icon"]) {
      const hrefs = await page.locator(`head link[rel="${rel}"]`).evaluateAll((elements: { href: string }[]) => elements.map((link) => link.href));
      expect(hrefs.length, `<link rel="${rel}">`).toBeGreaterThan(0);
      links.push(...hrefs);
    }
    for (const href of links) expect((await page.goto(href))?.status(), href).toBe(200);

    const favicon = await page.goto(`${origin}/favicon.ico`);
    expect(favicon?.status()).toBe(200);
    expect(favicon?.headers()["content-type"]).toMatch(/image\/(x-icon|vnd\.microsoft\.icon)/);
    // An ICO file: reserved 0, type 1 (icon), at least one image.
    const bytes = await favicon?.body();
    expect([bytes?.readUInt16LE(0), bytes?.readUInt16LE(2)]).toEqual([0, 1]);
    expect(bytes?.readUInt16LE(4)).toBeGreaterThan(0);
  });
}
