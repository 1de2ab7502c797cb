import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { tenantContext, userModel, type TenantRow, type UserRow } from "@sigil/db";
import { SMTPServer } from "smtp-server";
import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from "vitest";
import { signInSystemAdmin } from "./admin-session.ts";
import { call, createTenantWithUsers, login, TEST_PASSWORD, useTestEnv, type TestEnv } from "./harness.ts";

/**
 * Account self-service (README: Accounts): profile and password change, password resets with and
 * without mail, an admin's unlock / reset / delete, sign-in refusals that say why, and the
 * invitation link's states. Mail goes to a local SMTP server started here.
 */

let env: TestEnv;
let acme: { tenant: TenantRow; users: Record<"admin" | "user" | "viewer", UserRow> };
let adminCookie: string;
const NEW_PASSWORD = "a-brand-new-password";

beforeAll(async () => {
  env = await useTestEnv();
  acme = await createTenantWithUsers("acme");
  adminCookie = await login("acme", "admin@acme.test");
});
afterAll(() => env.cleanup());
afterEach(() => vi.useRealTimers());

const asAcme = (cookie?: string) => ({ tenant: "acme", ...(cookie ? { cookie } : {}) });
const signIn = (email: string, password: string) => call("mutation", "auth.login", { email, password }, asAcme());
const me = (cookie: string) => call("query", "auth.me", undefined, asAcme(cookie));

async function addUser(email: string, fields: Partial<Pick<UserRow, "role" | "status">> = {}): Promise<UserRow> {
  const hash = await tenantContext.runWithTenant(acme.tenant.id, async () => (await userModel.findById(acme.users.user.id))?.passwordHash ?? null);
  return tenantContext.runWithTenant(acme.tenant.id, () =>
    userModel.create({ email, name: `Name of ${email}`, role: fields.role ?? "user", status: fields.status ?? "active", passwordHash: hash }),
  );
}

interface ListedUser {
  id: string;
  email: string;
  status: string;
  lockedUntil: Date | null;
  resetRequestedAt: Date | null;
  accountState: string;
}
const listUsers = async () => (await call<ListedUser[]>("query", "users.list", {}, asAcme(adminCookie))).data ?? [];

describe("sign-in refusals say why, only to someone who proved the password", () => {
  test("a deactivated account: the right password is told 'deactivated', a wrong one 'Invalid email or password'", async () => {
    const gone = await addUser("gone@acme.test", { status: "inactive" });
    expect((await listUsers()).find((user) => user.id === gone.id)?.accountState).toBe("deactivated");
    const wrong = await signIn(gone.email, "wrong-password");
    expect(wrong.status).toBe(401);
    expect(wrong.error?.message).toBe("Invalid email or password.");
    const right = await signIn(gone.email, TEST_PASSWORD);
    expect(right.status).toBe(403);
    expect(right.error?.message).toBe("This account is deactivated. Ask an admin of this workspace to reactivate it.");
    expect(right.setCookies).toEqual([]);
  });

  test("a lock says until when (message and data.lockout) and what to do besides waiting; an admin's unlock lifts it", async () => {
    const locked = await addUser("locked@acme.test");
    for (let i = 0; i < 5; i += 1) await signIn(locked.email, "wrong-password");
    const refused = await signIn(locked.email, TEST_PASSWORD);
    expect(refused.status).toBe(429);
    const until = new Date(String(refused.error?.data.lockout && (refused.error.data.lockout as { lockedUntil: string }).lockedUntil));
    expect(Math.abs(until.getTime() - (Date.now() + 30 * 60_000))).toBeLessThan(60_000);
    expect(refused.error?.message).toBe(
      `Too many failed sign-ins. Try again in 30 minutes (at ${until.toISOString().slice(11, 16)} UTC). ` +
        "To get in sooner, ask an admin of this workspace to unlock your account, or reset your password (“Forgot password?”).",
    );
    const listed = (await listUsers()).find((user) => user.id === locked.id);
    expect(listed?.lockedUntil?.getTime()).toBe(until.getTime());

    const unlocked = await call<{ wasLocked: boolean }>("mutation", "users.unlock", { id: locked.id }, asAcme(adminCookie));
    expect(unlocked.data?.wasLocked).toBe(true);
    expect((await signIn(locked.email, TEST_PASSWORD)).status).toBe(200);
    expect((await listUsers()).find((user) => user.id === locked.id)?.lockedUntil).toBeNull();
    const audit = await call<{ data: { action: string }[] }>("query", "audit.list", {}, asAcme(adminCookie));
    expect(audit.data?.data.map((entry) => entry.action)).toContain("user.unlocked");
  });
});

describe("profile", () => {
  test("a member changes their name", async () => {
    const cookie = await login("acme", "viewer@acme.test");
    const updated = await call<{ name: string }>("mutation", "auth.updateProfile", { name: "  Vera Viewer " }, asAcme(cookie));
    expect(updated.data?.name).toBe("Vera Viewer");
    const empty = await call("mutation", "auth.updateProfile", { name: "" }, asAcme(cookie));
    expect(empty.status).toBe(400);
  });

  test("changing the password ends the member's other sessions and keeps this one", async () => {
    const member = await addUser("changer@acme.test");
    const here = await login("acme", member.email);
    const elsewhere = await login("acme", member.email);
    const wrong = await call("mutation", "auth.changePassword", { currentPassword: "not-it", newPassword: NEW_PASSWORD }, asAcme(here));
    expect(wrong.error?.message).toBe("The current password is not correct.");
    const changed = await call("mutation", "auth.changePassword", { currentPassword: TEST_PASSWORD, newPassword: NEW_PASSWORD }, asAcme(here));
    expect(changed.status).toBe(200);
    expect((await me(here)).status).toBe(200);
    expect((await me(elsewhere)).status).toBe(401);
    expect((await signIn(member.email, NEW_PASSWORD)).status).toBe(200);
  });
});

async function resetLink(userId: string): Promise<string> {
  const created = await call<{ resetToken: string; mailed: boolean }>("mutation", "users.resetPassword", { id: userId }, asAcme(adminCookie));
  if (!created.data) throw new Error(`users.resetPassword failed: ${created.error?.message}`);
  expect(created.data.mailed).toBe(false);
  return created.data.resetToken;
}

describe("password resets without mail", () => {
  test("forgot password answers alike for members and strangers; the admin sees the request and hands a link over", async () => {
    const member = await addUser("forgetful@acme.test");
    const known = await call("mutation", "auth.forgotPassword", { email: member.email }, asAcme());
    const unknown = await call("mutation", "auth.forgotPassword", { email: "stranger@acme.test" }, asAcme());
    expect(known.data).toEqual({ delivery: "admin" });
    expect(unknown.data).toEqual(known.data);
    const listed = (await listUsers()).find((user) => user.id === member.id);
    expect(listed?.resetRequestedAt).toBeInstanceOf(Date);

    const token = await resetLink(member.id);
    // The link answers the request.
    expect((await listUsers()).find((user) => user.id === member.id)?.resetRequestedAt).toBeNull();
    const state = await call("query", "auth.passwordResetLink", { token }, asAcme());
    expect(state.data).toEqual({ state: "valid", email: member.email });
  });

  test("a reset sets the password, ends every session, lifts a lock, and works once", async () => {
    const member = await addUser("resetme@acme.test");
    const session = await login("acme", member.email);
    for (let i = 0; i < 5; i += 1) await signIn(member.email, "wrong-password");
    expect((await signIn(member.email, TEST_PASSWORD)).status).toBe(429);

    const token = await resetLink(member.id);
    const short = await call("mutation", "auth.resetPassword", { token, password: "short" }, asAcme());
    expect(short.status).toBe(400);
    const done = await call("mutation", "auth.resetPassword", { token, password: NEW_PASSWORD }, asAcme());
    expect(done.data).toEqual({ email: member.email });
    expect((await me(session)).status).toBe(401);
    expect((await signIn(member.email, NEW_PASSWORD)).status).toBe(200);

    const again = await call("mutation", "auth.resetPassword", { token, password: "another-password-1" }, asAcme());
    expect(again.error?.message).toBe("This password reset link was already used. Ask for a new one if you need to reset your password again.");
    expect((await call("query", "auth.passwordResetLink", { token }, asAcme())).data).toEqual({ state: "used" });
    const audit = await call<{ data: { action: string }[] }>("query", "audit.list", {}, asAcme(adminCookie));
    expect(audit.data?.data.map((entry) => entry.action)).toEqual(
      expect.arrayContaining(["user.password_reset_link_created", "auth.password_reset_completed"]),
    );
  });

  test("a made-up link and an expired link each get their own message; a new link replaces an older one", async () => {
    const member = await addUser("late@acme.test");
    const madeUp = await call("mutation", "auth.resetPassword", { token: "x".repeat(43), password: NEW_PASSWORD }, asAcme());
    expect(madeUp.status).toBe(404);
    expect(madeUp.error?.message).toBe("This password reset link is not valid. Check that you copied all of it, or ask for a new one.");

    const first = await resetLink(member.id);
    const second = await resetLink(member.id);
    expect((await call("query", "auth.passwordResetLink", { token: first }, asAcme())).data).toEqual({ state: "unknown" });

    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + 61 * 60_000 });
    expect((await call("query", "auth.passwordResetLink", { token: second }, asAcme())).data).toEqual({ state: "expired" });
    const expired = await call("mutation", "auth.resetPassword", { token: second, password: NEW_PASSWORD }, asAcme());
    expect(expired.error?.message).toBe("This password reset link has expired. Ask for a new one.");
  });

  test("requests are rate limited per account like sign-ins", async () => {
    process.env.RATE_LIMIT_SIGNIN_PER_ACCOUNT = "3";
    try {
      const statuses = [];
      for (let i = 0; i < 4; i += 1) statuses.push((await call("mutation", "auth.forgotPassword", { email: "limited@acme.test" }, asAcme())).status);
      expect(statuses).toEqual([200, 200, 200, 429]);
    } finally {
      delete process.env.RATE_LIMIT_SIGNIN_PER_ACCOUNT;
    }
  });

  test("only an admin creates links, and only for active members", async () => {
    const member = await addUser("plain@acme.test");
    const userCookie = await login("acme", "user@acme.test");
    expect((await call("mutation", "users.resetPassword", { id: member.id }, asAcme(userCookie))).status).toBe(403);
    const inactive = await addUser("inactive@acme.test", { status: "inactive" });
    const refused = await call("mutation", "users.resetPassword", { id: inactive.id }, asAcme(adminCookie));
    expect(refused.error?.message).toBe("inactive@acme.test is deactivated. Reactivate them first.");
  });
});

describe("mail through SMTP", () => {
  const received: { to: string[]; body: string }[] = [];
  let server: SMTPServer;
  let waiting: (() => void) | undefined;

  beforeAll(async () => {
    server = new SMTPServer({
      authOptional: true,
      disabledCommands: ["STARTTLS", "AUTH"],
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on("data", (chunk: Buffer) => chunks.push(chunk));
        stream.on("end", () => {
          received.push({ to: session.envelope.rcptTo.map((rcpt) => rcpt.address), body: Buffer.concat(chunks).toString("utf8") });
          waiting?.();
          callback();
        });
      },
    });
    server.listen(0, "127.0.0.1");
    await once(server.server, "listening");
    const { port } = server.server.address() as AddressInfo;
    Object.assign(process.env, {
      SMTP_HOST: "127.0.0.1",
      SMTP_PORT: String(port),
      SMTP_FROM: "Sigil <sigil@example.test>",
      SIGIL_WORKSPACE_URL: "https://{slug}.sigil.example.test",
    });
  });
  afterAll(async () => {
    delete process.env.SMTP_HOST;
    delete process.env.SMTP_PORT;
    delete process.env.SMTP_FROM;
    delete process.env.SIGIL_WORKSPACE_URL;
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  const nextMail = async (count: number) => {
    while (received.length < count) await new Promise<void>((resolve) => (waiting = resolve));
    const mail = received[count - 1];
    if (!mail) throw new Error("no mail");
    return mail;
  };
  /** Quoted-printable may wrap long lines with "=\r\n". */
  const linkIn = (body: string, path: string) =>
    new RegExp(`https://acme\\.sigil\\.example\\.test${path}/([A-Za-z0-9_-]+)`).exec(body.replace(/=\r\n/g, ""))?.[1];

  test("forgot password mails a link on the configured address that resets the password", async () => {
    const member = await addUser("mailed@acme.test");
    const answer = await call("mutation", "auth.forgotPassword", { email: member.email }, { ...asAcme(), headers: { host: "evil.example" } });
    // A Host header naming another site neither identifies the workspace nor makes the link.
    expect(answer.status).not.toBe(200);
    const asked = await call("mutation", "auth.forgotPassword", { email: member.email }, asAcme());
    expect(asked.data).toEqual({ delivery: "mail" });
    const mail = await nextMail(1);
    expect(mail.to).toEqual([member.email]);
    expect(mail.body).toContain("Subject: Reset your Sigil password for Tenant acme");
    const token = linkIn(mail.body, "/reset-password");
    expect(token).toBeDefined();
    const done = await call("mutation", "auth.resetPassword", { token, password: NEW_PASSWORD }, asAcme());
    expect(done.status).toBe(200);
    expect((await signIn(member.email, NEW_PASSWORD)).status).toBe(200);
    // Nothing waits on the Users page: the mail answered the request.
    expect((await listUsers()).find((user) => user.id === member.id)?.resetRequestedAt).toBeNull();
  });

  test("an invitation is mailed, and the admin still gets the link", async () => {
    const invited = await call<{ invitationToken: string; mailed: boolean }>(
      "mutation",
      "users.invite",
      { email: "newcomer@acme.test", name: "Newcomer", role: "user" },
      asAcme(adminCookie),
    );
    expect(invited.data?.mailed).toBe(true);
    const mail = await nextMail(2);
    expect(mail.to).toEqual(["newcomer@acme.test"]);
    expect(mail.body).toContain("Subject: You are invited to Tenant acme on Sigil");
    expect(linkIn(mail.body, "/invite")).toBe(invited.data?.invitationToken);
  });

  test("a new workspace's owner invitation is mailed too, on the new workspace's address", async () => {
    const system = await signInSystemAdmin();
    const created = await system.call<{ invitation: { token: string; mailed: boolean } | null }>("mutation", "tenants.create", {
      name: "Mailed Co",
      slug: "mailed",
      plan: "pro",
      settings: { features: [], limits: { users: 10, storage: 100, executions_per_month: 1_000 } },
      owner: { email: "founder@mailed.test", name: "Founder" },
    });
    expect(created.data?.invitation?.mailed).toBe(true);
    const mail = await nextMail(3);
    expect(mail.to).toEqual(["founder@mailed.test"]);
    const link = /https:\/\/mailed\.sigil\.example\.test\/invite\/([A-Za-z0-9_-]+)/.exec(mail.body.replace(/=\r\n/g, ""))?.[1];
    expect(link).toBe(created.data?.invitation?.token);
  });
});

describe("invitation links say what they are", () => {
  const invite = async (email: string) => {
    const invited = await call<{ invitationToken: string; user: { id: string } }>(
      "mutation",
      "users.invite",
      { email, name: "Ivy", role: "user" },
      asAcme(adminCookie),
    );
    if (!invited.data) throw new Error(String(invited.error?.message));
    return invited.data;
  };
  const stateOf = async (token: string) => (await call<{ state: string }>("query", "auth.invitation", { token }, asAcme())).data;

  test("valid (with the email and workspace), used, revoked, expired, unknown", async () => {
    const valid = await invite("ivy@acme.test");
    expect(await stateOf(valid.invitationToken)).toMatchObject({ state: "valid", email: "ivy@acme.test", workspace: { name: "Tenant acme", slug: "acme" } });
    const accepted = await call("mutation", "auth.acceptInvitation", { token: valid.invitationToken, password: NEW_PASSWORD }, asAcme());
    expect(accepted.status).toBe(200);
    expect(await stateOf(valid.invitationToken)).toEqual({ state: "used" });
    expect((await call("mutation", "auth.acceptInvitation", { token: valid.invitationToken, password: NEW_PASSWORD }, asAcme())).status).toBe(404);

    const revoked = await invite("rex@acme.test");
    await call("mutation", "users.deactivate", { id: revoked.user.id }, asAcme(adminCookie));
    expect(await stateOf(revoked.invitationToken)).toEqual({ state: "revoked" });

    const late = await invite("late-invite@acme.test");
    expect(await stateOf("y".repeat(32))).toEqual({ state: "unknown" });
    // Past its expiry (moving the clock 8 days would also end the admin's session).
    await tenantContext.runWithTenant(acme.tenant.id, () => userModel.update(late.user.id, { invitationExpiresAt: new Date(Date.now() - 1000) }));
    expect(await stateOf(late.invitationToken)).toEqual({ state: "expired" });
    const states = new Map((await listUsers()).map((user) => [user.id, user.accountState]));
    expect([states.get(late.user.id), states.get(revoked.user.id), states.get(valid.user.id)]).toEqual(["invitation_expired", "invitation_revoked", "active"]);
  });
});

describe("deleting users", () => {
  test("a deleted author's name stays; their sessions and API keys end; the email can be invited again", async () => {
    const author = await addUser("author@acme.test", { role: "admin" });
    const cookie = await login("acme", author.email);
    const prompt = await call<{ id: string; createdBy: string }>("mutation", "prompts.create", { name: "By the author", template: "Hi" }, asAcme(cookie));
    expect(prompt.data?.createdBy).toBe(author.id);
    const key = await call<{ plainKey: string }>("mutation", "apiKeys.create", { name: "author key", scopes: ["prompts:read"] }, asAcme(cookie));
    const plainKey = key.data?.plainKey ?? "";
    expect((await call("query", "auth.me", undefined, { tenant: "acme", apiKey: plainKey })).status).toBe(200);

    const deleted = await call("mutation", "users.delete", { id: author.id }, asAcme(adminCookie));
    expect(deleted.data).toEqual({ id: author.id, email: author.email, name: author.name });
    expect((await me(cookie)).status).toBe(401);
    expect((await call("query", "auth.me", undefined, { tenant: "acme", apiKey: plainKey })).status).toBe(401);
    expect((await signIn(author.email, TEST_PASSWORD)).status).toBe(401);

    const viewerCookie = await login("acme", "viewer@acme.test");
    const authors = await call<{ id: string; name: string }[]>("query", "users.deletedAuthors", undefined, asAcme(viewerCookie));
    expect(authors.data).toContainEqual({ id: author.id, name: author.name });
    expect((await call("mutation", "users.invite", { email: author.email, name: "Again", role: "user" }, asAcme(adminCookie))).status).toBe(200);
  });

  test("nobody deletes themselves; the last active admin cannot be deleted, even by two admins at once", async () => {
    const self = await call("mutation", "users.delete", { id: acme.users.admin.id }, asAcme(adminCookie));
    expect(self.error?.message).toBe("You cannot delete yourself. Another admin can.");

    const { tenant, users } = await createTenantWithUsers("duo");
    const other = await tenantContext.runWithTenant(tenant.id, async () =>
      userModel.create({ email: "second@duo.test", name: "Second", role: "admin", status: "active", passwordHash: users.admin.passwordHash }),
    );
    const first = await login("duo", users.admin.email);
    const second = await login("duo", other.email);
    const results = await Promise.all([
      call("mutation", "users.delete", { id: other.id }, { tenant: "duo", cookie: first }),
      call("mutation", "users.delete", { id: users.admin.id }, { tenant: "duo", cookie: second }),
    ]);
    const statuses = results.map((result) => result.status).sort();
    // The second to run is refused: its caller is gone (401) or is the last admin (400).
    expect(statuses[0]).toBe(200);
    expect(statuses[1]).not.toBe(200);
    const left = await tenantContext.runWithTenant(tenant.id, () => userModel.findMany({ where: { role: "admin", status: "active" } }));
    expect(left).toHaveLength(1);
    const sole = left[0];
    if (!sole) throw new Error("no admin left");
    const refused = await tenantContext.runWithTenant(tenant.id, () => userModel.deleteKeepingAnActiveAdmin(sole.id));
    expect(refused).toEqual({ refused: "lastActiveAdmin" });
  });
});

describe("lists can be cleaned up", () => {
  test("a revoked API key can be deleted, an active one only after revoking", async () => {
    const key = await call<{ key: { id: string } }>("mutation", "apiKeys.create", { name: "temp", scopes: ["prompts:read"] }, asAcme(adminCookie));
    const id = key.data?.key.id ?? "";
    const early = await call("mutation", "apiKeys.delete", { id }, asAcme(adminCookie));
    expect(early.error?.message).toBe('Revoke the key "temp" before deleting it.');
    await call("mutation", "apiKeys.revoke", { id }, asAcme(adminCookie));
    expect((await call("mutation", "apiKeys.delete", { id }, asAcme(adminCookie))).status).toBe(200);
    const keys = await call<{ id: string }[]>("query", "apiKeys.list", undefined, asAcme(adminCookie));
    expect(keys.data?.map((listed) => listed.id)).not.toContain(id);
  });
});
