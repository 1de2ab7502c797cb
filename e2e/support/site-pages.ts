import { createSigilClient } from "@sigil/client";
import { expect, type Browser, type BrowserContext, type Page } from "@playwright/test";
import { adminClient, adminUrl, DEMO, PORT, workspaceClient, workspaceUrl } from "./env.ts";
import { signInOnPage } from "./pages.ts";

/**
 * Every page of the site, in one place for the checks that visit them all (e2e/site/: axe,
 * width at 390 px). A new page is one line in one of the lists below. A path that needs a
 * record is a function of `SiteData`, which `createSiteData` makes through the API, so the
 * specs need nothing from earlier specs.
 */
export interface SiteData {
  promptId: string;
  executionId: string;
  tenantId: string;
  invitationToken: string;
  /** A password-reset link's token of an active member (the reset page's form). */
  resetToken: string;
}

type PagePath = string | ((data: SiteData) => string);

/** Pages of the acme workspace, seen by its owner (an admin: every section is there). */
export const WORKSPACE_PAGES: Record<string, PagePath> = {
  dashboard: "/",
  prompts: "/prompts",
  "new prompt": "/prompts/new",
  "prompt detail": (data) => `/prompts/${data.promptId}`,
  executions: "/executions",
  "new execution": "/executions/new",
  "execution detail": (data) => `/executions/${data.executionId}`,
  files: "/files",
  deployments: "/deployments",
  "API keys": "/api-keys",
  "API reference": "/api-reference",
  users: "/users",
  profile: "/profile",
  audit: "/audit",
  settings: "/settings",
  usage: "/usage",
};

/** Pages of the acme workspace seen signed out. */
export const WORKSPACE_PUBLIC_PAGES: Record<string, PagePath> = {
  "sign-in": "/login",
  invitation: (data) => `/invite/${data.invitationToken}`,
  "forgot password": "/forgot-password",
  "reset password": (data) => `/reset-password/${data.resetToken}`,
  "API reference": "/api-reference",
};

/** Pages of the admin console, seen by the system administrator. */
export const ADMIN_PAGES: Record<string, PagePath> = {
  overview: "/",
  tenants: "/tenants",
  "tenant detail": (data) => `/tenants/${data.tenantId}`,
  migrations: "/migrations",
  health: "/health",
  prices: "/prices",
  "API keys": "/api-keys",
  audit: "/audit",
};

/** Pages of the admin console seen signed out. */
export const ADMIN_PUBLIC_PAGES: Record<string, PagePath> = {
  "sign-in": "/login",
};

/** Who looks at a group of pages, on which host. */
export interface SiteArea {
  name: string;
  origin: string;
  signIn: { email: string; password: string } | null;
  pages: Record<string, PagePath>;
}

/** The areas on the e2e web server at `port` (env.ts: PORT, or POSTGRES_PORT). */
export function siteAreas(port = PORT): SiteArea[] {
  return [
    { name: "workspace", origin: workspaceUrl("acme", "", port), signIn: DEMO.acme, pages: WORKSPACE_PAGES },
    { name: "workspace signed out", origin: workspaceUrl("acme", "", port), signIn: null, pages: WORKSPACE_PUBLIC_PAGES },
    { name: "admin", origin: adminUrl(port), signIn: DEMO.admin, pages: ADMIN_PAGES },
    { name: "admin signed out", origin: adminUrl(port), signIn: null, pages: ADMIN_PUBLIC_PAGES },
  ];
}

export const SITE_AREAS: SiteArea[] = siteAreas();

export function resolvePath(path: PagePath, data: SiteData): string {
  return typeof path === "string" ? path : path(data);
}

/**
 * A prompt, an execution of it (finished), a file, a deployment, a pending invitation and an API
 * key on acme, and a system API key: every list of the site has a row. `port`: which e2e web server.
 */
export async function createSiteData(port = PORT): Promise<SiteData> {
  const acme = await workspaceClient("acme", port);
  const stamp = Date.now().toString(36);
  const prompt = await acme.prompts.create.mutate({ name: `Site check ${stamp}`, description: "Greets a customer", template: "Hello {{customer}}!" });
  const execution = await acme.executions.create.mutate({ promptId: prompt.id, input: { customer: "Ada" }, provider: "template" });
  await expect.poll(async () => (await acme.executions.get.query({ id: execution.id })).status, { timeout: 30_000 }).toBe("completed");
  await acme.files.upload.mutate({ name: `site-check-${stamp}.txt`, mimeType: "text/plain", contentBase64: Buffer.from("site check").toString("base64") });
  await acme.deployments.create.mutate({ name: `site-check-${stamp}`, promptId: prompt.id, provider: "template", model: "mustache" });
  const invitation = await acme.users.invite.mutate({ email: `site-check-${stamp}@acme.test`, name: "Site Check", role: "viewer" });
  const member = await acme.users.invite.mutate({ email: `site-check-member-${stamp}@acme.test`, name: "Site Member", role: "user" });
  await createSigilClient({ url: workspaceUrl("acme", "", port) }).auth.acceptInvitation.mutate({
    token: member.invitationToken,
    password: "site-member-password",
  });
  const reset = await acme.users.resetPassword.mutate({ id: member.user.id });
  await acme.apiKeys.create.mutate({ name: `site-check-${stamp}`, scopes: ["prompts:read", "executions:run"] });
  const admin = await adminClient(port);
  await admin.admin.createApiKey.mutate({ name: `site-check-${stamp}` });
  const tenants = await admin.tenants.list.query({ search: "acme" });
  const tenant = tenants.tenants.find((candidate) => candidate.slug === "acme");
  if (!tenant) throw new Error("the demo tenant acme is missing");
  return { promptId: prompt.id, executionId: execution.id, tenantId: tenant.id, invitationToken: invitation.invitationToken, resetToken: reset.resetToken };
}

/** A context for one area, signed in when the area says so; its page is left on the area's first page. */
export async function openArea(
  browser: Browser,
  area: SiteArea,
  viewport: { width: number; height: number },
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport });
  const page = await context.newPage();
  if (area.signIn) {
    await page.goto(`${area.origin}/login`);
    await signInOnPage(page, area.signIn.email, area.signIn.password);
  }
  return { context, page };
}

/** Opens a page and waits until it has finished loading its data (no skeleton or spinner left). */
export async function visit(page: Page, url: string): Promise<void> {
  const response = await page.goto(url);
  expect(response?.status(), `${url} answers`).toBeLessThan(400);
  await page.waitForLoadState("networkidle");
  await expect(page.locator('.animate-pulse, [role="status"][aria-label="Loading"], [aria-busy="true"]')).toHaveCount(0);
  await expect(page.locator("main h1, h1").first()).toBeVisible();
}
