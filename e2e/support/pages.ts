import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { expect, type Page } from "@playwright/test";

const ROOT = join(import.meta.dirname, "..", "..");
// A test run never rewrites tracked files: its screenshots go to test-results/ (untracked).
// `pnpm screenshots` (SIGIL_UPDATE_SCREENSHOTS=1) refreshes the README's, in docs/screenshots/.
const SCREENSHOTS = process.env.SIGIL_UPDATE_SCREENSHOTS === "1" ? join(ROOT, "docs", "screenshots") : join(ROOT, "test-results", "screenshots");

/** Saves a full-page screenshot (for the README when refreshing them, see above). */
export async function saveScreenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** Signs in on a workspace or admin login page that is already open. */
export async function signInOnPage(page: Page, email: string, password: string): Promise<void> {
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByLabel("Password")).toHaveCount(0);
}

/** Opens the new-prompt form from the prompts list (a link or a button, depending on the layout). */
export async function openNewPromptForm(page: Page): Promise<void> {
  await page
    .getByRole("link", { name: "New prompt" })
    .or(page.getByRole("button", { name: "New prompt" }))
    .first()
    .click();
}
