import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";
import { createSiteData, openArea, resolvePath, SITE_AREAS, visit, type SiteData } from "../support/site-pages.ts";

/**
 * axe-core on every page of the site (e2e/support/site-pages.ts), signed in where the page needs
 * it, with a prompt, an execution, a file, a deployment and an invitation present: no serious or
 * critical finding of the WCAG 2.0/2.1 A and AA rules, at desktop and phone width (the phone
 * layout has its own menu button and drawer).
 */
const WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];
const VIEWPORTS = [
  { width: 1280, height: 800 },
  { width: 390, height: 844 },
];

let data: SiteData;
test.beforeAll(async () => {
  data = await createSiteData();
});

for (const viewport of VIEWPORTS) {
  for (const area of SITE_AREAS) {
    test(`${area.name} at ${viewport.width}×${viewport.height}: no serious or critical axe findings`, async ({ browser }) => {
      test.setTimeout(240_000);
      const { context, page } = await openArea(browser, area, viewport);
      const findings: string[] = [];
      for (const [name, path] of Object.entries(area.pages)) {
        await visit(page, `${area.origin}${resolvePath(path, data)}`);
        const results = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
        for (const violation of results.violations) {
          if (violation.impact !== "serious" && violation.impact !== "critical") continue;
          const targets = violation.nodes.map((node) => node.target.join(" ")).join(" | ");
          findings.push(`${name}: ${violation.id} (${violation.impact}) ${violation.help} — ${targets}`);
        }
      }
      await context.close();
      expect(findings, `axe findings:\n${findings.join("\n")}`).toEqual([]);
    });
  }
}
