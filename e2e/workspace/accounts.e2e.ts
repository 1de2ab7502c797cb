import { createSigilClient, signIn, type SigilClient } from "@sigil/client";
import { expect, test, type Browser, type Page } from "@playwright/test";
import { DEMO, workspaceClient, workspaceUrl } from "../support/env.ts";
import { saveScreenshot, signInOnPage } from "../support/pages.ts";

// Issue 11, accounts: profile, forgot password without mail (the admin hands the link over), an
// admin's reset and unlock, the lockout and deactivated messages, invitation link states, and a
// deleted member whose name stays on their prompt. The e2e server has no SMTP (README: Accounts).

const PASSWORD = "member-first-password";
const url = workspaceUrl("acme").replace(/\/$/, "");
let owner: SigilClient;
test.beforeAll(async () => {
  owner = await workspaceClient("acme");
});

/** A new active member of acme (invited by the demo owner, invitation accepted). */
async function newMember(label: string, role: "user" | "viewer" = "user"): Promise<{ id: string; email: string; name: string }> {
  const email = `${label}-${Date.now()}-${Math.floor(Math.random() * 1e6)}@acme.test`;
  const name = `${label[0]?.toUpperCase() ?? ""}${label.slice(1)} Member`;
  const invited = await owner.users.invite.mutate({ email, name, role });
  await createSigilClient({ url }).auth.acceptInvitation.mutate({ token: invited.invitationToken, password: PASSWORD });
  return { id: invited.user.id, email, name };
}

async function signInAt(page: Page, path: string, email: string, password: string): Promise<void> {
  await page.goto(path);
  await signInOnPage(page, email, password);
}

/** The demo owner on the Users page, in a browser context of their own. */
async function ownerOnUsersPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ baseURL: url });
  const page = await context.newPage();
  // Signed in on another page first: signInOnPage waits for every "password" label to go, and the
  // Users page has reset-password controls.
  await signInAt(page, "/prompts", DEMO.acme.email, DEMO.acme.password);
  await page.goto("/users");
  await expect(page.getByRole("heading", { name: "Users" })).toBeVisible();
  return page;
}

const rowOf = (page: Page, email: string) => page.getByRole("row").filter({ hasText: email });

test("profile: a member renames themself and changes the password; their other browser is signed out, this one stays", async ({ page, browser }) => {
  const member = await newMember("profile");
  const other = await browser.newContext({ baseURL: url });
  const otherPage = await other.newPage();
  await signInAt(otherPage, "/prompts", member.email, PASSWORD);
  await signInAt(page, "/prompts", member.email, PASSWORD);

  await page.getByRole("button", { name: /Account menu/ }).click();
  await page.getByRole("link", { name: "Profile" }).click();
  await expect(page.getByRole("heading", { name: "Profile" })).toBeVisible();
  await page.getByLabel("Name").fill("Renamed Member");
  await page.getByRole("button", { name: "Save name" }).click();
  await expect(page.getByRole("button", { name: /Account menu/ })).toContainText("Renamed Member");

  // Inline errors first: a short password and a mismatched repeat.
  await page.getByLabel("Current password").fill(PASSWORD);
  await page.getByLabel("New password").fill("short");
  await page.getByLabel("Repeat the password").fill("different");
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByText("Use at least 10 characters.")).toBeVisible();
  await expect(page.getByText("The two passwords differ.")).toBeVisible();
  await page.getByLabel("New password").fill("member-second-password");
  await page.getByLabel("Repeat the password").fill("member-second-password");
  await page.getByRole("button", { name: "Change password" }).click();
  await expect(page.getByText("Your other sessions were signed out; this one stays signed in.")).toBeVisible();
  await saveScreenshot(page, "workspace-profile");

  await otherPage.goto("/prompts");
  await expect(otherPage.getByRole("button", { name: "Sign in" })).toBeVisible();
  await page.goto("/prompts");
  await expect(page.getByRole("heading", { name: /prompts/i }).first()).toBeVisible();
  await signIn({ url, email: member.email, password: "member-second-password" });
  await other.close();
});

test("forgot password without mail: the page says to ask an admin, the admin hands the link over, the member resets and signs in", async ({
  page,
  browser,
}) => {
  const member = await newMember("forgetful");
  await page.goto("/login");
  // The sign-in form answers inline, not with the browser's bubble.
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByText("Enter a valid email address.")).toBeVisible();
  await page.getByRole("link", { name: "Forgot password?" }).click();
  // A fill that lands before the page hydrates is reset by React: fill and send until it is taken.
  await expect(async () => {
    await page.getByLabel("Email").fill(member.email);
    await page.getByRole("button", { name: "Send me a reset link" }).click();
    await expect(
      page.getByText(/This workspace does not send mail\. If .* belongs to an account here, the workspace's admins now see your request/),
    ).toBeVisible({
      timeout: 2_000,
    });
  }).toPass({ timeout: 20_000 });

  const admin = await ownerOnUsersPage(browser);
  const row = rowOf(admin, member.email);
  await expect(row.getByText("Password reset requested")).toBeVisible();
  await row.getByRole("button", { name: `Reset password of ${member.name}` }).click();
  const link = await admin.getByLabel("Reset link", { exact: true }).inputValue();
  expect(link).toMatch(new RegExp(`^${url}/reset-password/[A-Za-z0-9_-]+$`));
  await saveScreenshot(admin, "workspace-users-reset-link");
  await admin.context().close();

  await page.goto(link);
  await expect(page.getByText(member.email)).toBeVisible();
  await page.getByLabel("New password").fill("member-reset-password");
  await page.getByLabel("Repeat the password").fill("member-reset-password");
  await page.getByRole("button", { name: "Set the new password" }).click();
  await expect(page.getByText("Password changed")).toBeVisible();
  await page.getByRole("link", { name: "Sign in" }).click();
  await signInOnPage(page, member.email, "member-reset-password");
  await expect(page.getByRole("button", { name: /Account menu/ })).toBeVisible();

  // The link worked once.
  await page.goto(link);
  await expect(page.getByText("This link was already used")).toBeVisible();
  await page.goto("/reset-password/made-up-token-0000000000000000000000");
  await expect(page.getByText("This link is not valid")).toBeVisible();
});

test("lockout: the message says when it ends and what to do; the admin's Unlock lets the member in", async ({ page, browser }) => {
  const member = await newMember("locked");
  for (let i = 0; i < 5; i += 1) {
    await expect(signIn({ url, email: member.email, password: `wrong-password-${i}` })).rejects.toThrow("Invalid email or password.");
  }
  await page.goto("/login");
  await page.getByLabel("Email").fill(member.email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  // Next's route announcer is an alert too: the sign-in error is the one that says something.
  const alert = page.getByRole("alert").filter({ hasText: "Could not sign in" });
  await expect(alert).toContainText(/Too many failed sign-ins\. Try again in 30 minutes \(at \d\d:\d\d UTC\)\./);
  await expect(alert).toContainText("ask an admin of this workspace to unlock your account, or reset your password");

  const admin = await ownerOnUsersPage(browser);
  const row = rowOf(admin, member.email);
  await expect(row.getByText("Sign-in locked")).toBeVisible();
  await row.getByRole("button", { name: `Unlock ${member.name}` }).click();
  await expect(admin.getByText(`${member.name} unlocked`)).toBeVisible();
  await expect(row.getByText("Sign-in locked")).toHaveCount(0);
  await admin.context().close();

  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("button", { name: /Account menu/ })).toBeVisible();
});

test("a deactivated member is told so after the right password, and 'Invalid email or password' after a wrong one", async ({ page }) => {
  const member = await newMember("gone");
  await owner.users.deactivate.mutate({ id: member.id });
  await page.goto("/login");
  await page.getByLabel("Email").fill(member.email);
  await page.getByLabel("Password").fill("not-the-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  const alert = page.getByRole("alert").filter({ hasText: "Could not sign in" });
  await expect(alert).toContainText("Invalid email or password.");
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(alert).toContainText("This account is deactivated. Ask an admin of this workspace to reactivate it.");
});

test("invitation links are checked on load: valid shows the email and workspace; used, revoked and made-up ones say so with a sign-in link", async ({
  page,
}) => {
  const email = `invitee-${Date.now()}@acme.test`;
  const invited = await owner.users.invite.mutate({ email, name: "Ina Invitee", role: "viewer" });
  await page.goto(`/invite/${invited.invitationToken}`);
  await expect(page.getByRole("heading", { name: "Join Acme Corporation" })).toBeVisible();
  await expect(page.getByText(email)).toBeVisible();
  await expect(page.getByRole("link", { name: "Sign in" })).toBeVisible();
  await saveScreenshot(page, "workspace-invitation");
  await page.getByLabel("Password", { exact: true }).fill("invitee-password-1");
  await page.getByLabel("Repeat the password").fill("invitee-password-1");
  await page.getByRole("button", { name: "Accept and sign in" }).click();
  await expect(page.getByRole("button", { name: /Account menu/ })).toBeVisible();
  await page.context().clearCookies();

  await page.goto(`/invite/${invited.invitationToken}`);
  await expect(page.getByText("This invitation was already accepted")).toBeVisible();
  await expect(page.getByRole("link", { name: "Go to sign-in" })).toBeVisible();
  await expect(page.getByLabel("Repeat the password")).toHaveCount(0);

  const revoked = await owner.users.invite.mutate({ email: `revoked-${Date.now()}@acme.test`, name: "Rex Revoked", role: "viewer" });
  await owner.users.deactivate.mutate({ id: revoked.user.id });
  await page.goto(`/invite/${revoked.invitationToken}`);
  await expect(page.getByText("This invitation was revoked")).toBeVisible();

  await page.goto("/invite/made-up-invitation-token-000000000000");
  await expect(page.getByText("This invitation link is not valid")).toBeVisible();
  await page.getByRole("link", { name: "Go to sign-in" }).click();
  await expect(page.getByRole("button", { name: "Sign in" })).toBeVisible();
});

test("a deleted member's prompt still shows their name; a revoked invitation is named so and can be removed", async ({ page, browser }) => {
  const member = await newMember("author");
  const { cookie } = await signIn({ url, email: member.email, password: PASSWORD });
  const prompt = await createSigilClient({ url, cookie }).prompts.create.mutate({
    name: `Written by ${member.name} ${Date.now()}`,
    template: "Hello {{name}}",
  });
  const revoked = await owner.users.invite.mutate({ email: `withdrawn-${Date.now()}@acme.test`, name: "Wanda Withdrawn", role: "viewer" });
  await owner.users.deactivate.mutate({ id: revoked.user.id });

  const admin = await ownerOnUsersPage(browser);
  const revokedRow = rowOf(admin, revoked.user.email);
  await expect(revokedRow.getByText("Invitation revoked")).toBeVisible();
  await revokedRow.getByRole("button", { name: `Remove ${revoked.user.name}` }).click();
  await admin.getByRole("dialog").getByRole("button", { name: "Remove" }).click();
  await expect(revokedRow).toHaveCount(0);

  await rowOf(admin, member.email)
    .getByRole("button", { name: `Delete ${member.name}` })
    .click();
  await admin.getByRole("dialog").getByRole("button", { name: "Delete user" }).click();
  await expect(rowOf(admin, member.email)).toHaveCount(0);
  await admin.context().close();
  await expect(createSigilClient({ url, cookie }).auth.me.query()).rejects.toThrow();

  await signInAt(page, `/prompts/${prompt.id}`, DEMO.acme.email, DEMO.acme.password);
  await expect(page.getByText(`by ${member.name} (deleted)`).first()).toBeVisible();
});
