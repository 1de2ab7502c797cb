import { expect, test } from "@playwright/test";
import { saveScreenshot } from "../support/pages.ts";
import { createSiteData, openArea, resolvePath, SITE_AREAS, visit, type SiteData } from "../support/site-pages.ts";

/**
 * At phone width (390×844) no page of the site (e2e/support/site-pages.ts) is wider than the
 * screen: wide tables scroll inside their own box, never the whole page.
 */
const PHONE = { width: 390, height: 844 };

let data: SiteData;
test.beforeAll(async () => {
  data = await createSiteData();
});

for (const area of SITE_AREAS) {
  test(`${area.name}: no page is wider than a 390 px screen`, async ({ browser }) => {
    test.setTimeout(180_000);
    const { context, page } = await openArea(browser, area, PHONE);
    const tooWide: string[] = [];
    for (const [name, path] of Object.entries(area.pages)) {
      await visit(page, `${area.origin}${resolvePath(path, data)}`);
      const width = await page.evaluate<number>("document.documentElement.scrollWidth");
      if (width > PHONE.width) tooWide.push(`${name}: ${width} px`);
    }
    await context.close();
    expect(tooWide, `pages wider than ${PHONE.width} px:\n${tooWide.join("\n")}`).toEqual([]);
  });
}

const SHELLS = [
  { name: "workspace", area: "workspace", nav: "Workspace", link: "Prompts", path: "/prompts" },
  { name: "admin console", area: "admin", nav: "Admin console", link: "Tenants", path: "/tenants" },
] as const;

for (const shell of SHELLS) {
  test(`the ${shell.name}'s sidebar is a drawer behind a menu button on a phone`, async ({ browser }) => {
    const area = SITE_AREAS.find((candidate) => candidate.name === shell.area);
    if (!area) throw new Error(`no area ${shell.area}`);
    const { context, page } = await openArea(browser, area, PHONE);
    await visit(page, `${area.origin}/`);
    const menu = page.getByRole("button", { name: "Menu", exact: true });
    const drawer = page.getByRole("dialog", { name: "Menu", exact: true });
    const nav = page.getByRole("navigation", { name: shell.nav });
    await expect(menu).toHaveAttribute("aria-expanded", "false");
    await expect(nav).toBeHidden();

    // Opening moves focus into the drawer; Escape closes it and gives focus back to the button.
    await menu.click();
    await expect(menu).toHaveAttribute("aria-expanded", "true");
    await expect(drawer).toBeVisible();
    await expect(nav).toBeInViewport();
    await saveScreenshot(page, `${shell.area}-phone-menu`);
    await expect(drawer.locator(":focus")).toHaveCount(1);
    await page.keyboard.press("Escape");
    await expect(drawer).toBeHidden();
    await expect(menu).toBeFocused();

    // A click outside the drawer closes it.
    await menu.click();
    await expect(drawer).toBeVisible();
    await page.mouse.click(PHONE.width - 20, PHONE.height / 2);
    await expect(drawer).toBeHidden();
    await expect(menu).toHaveAttribute("aria-expanded", "false");

    // Following a link navigates and closes it.
    await menu.click();
    await drawer.getByRole("link", { name: shell.link }).click();
    await expect(page).toHaveURL(`${area.origin}${shell.path}`);
    await expect(drawer).toBeHidden();
    await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
    await context.close();
  });
}

test("at desktop width the sidebar is always there and there is no menu button", async ({ browser }) => {
  for (const shell of SHELLS) {
    const area = SITE_AREAS.find((candidate) => candidate.name === shell.area);
    if (!area) throw new Error(`no area ${shell.area}`);
    const { context, page } = await openArea(browser, area, { width: 1280, height: 800 });
    await visit(page, `${area.origin}/`);
    await expect(page.getByRole("navigation", { name: shell.nav })).toBeVisible();
    await expect(page.getByRole("button", { name: "Menu", exact: true })).toBeHidden();
    await context.close();
  }
});

test("a wide table scrolls in its own box on a phone, and its row actions can be reached", async ({ browser }) => {
  const area = SITE_AREAS.find((candidate) => candidate.name === "workspace");
  if (!area) throw new Error("no workspace area");
  const { context, page } = await openArea(browser, area, PHONE);
  await visit(page, `${area.origin}/deployments`);
  const box = page.getByRole("region", { name: "Deployments by name" });
  await expect(box).toBeVisible();
  expect(await box.evaluate((element: { scrollWidth: number; clientWidth: number }) => element.scrollWidth > element.clientWidth)).toBe(true);
  // The box takes keyboard focus, and the arrow keys scroll it sideways.
  await box.focus();
  await page.keyboard.press("ArrowRight");
  await expect.poll(() => box.evaluate((element: { scrollLeft: number }) => element.scrollLeft)).toBeGreaterThan(0);
  const remove = page.getByRole("button", { name: new RegExp(`^Delete site-check-`) }).first();
  await remove.scrollIntoViewIfNeeded();
  await expect(remove).toBeInViewport();
  expect(await page.evaluate<number>("document.documentElement.scrollWidth")).toBeLessThanOrEqual(PHONE.width);
  await context.close();
});
