import { sessionModel, tenantContext, userModel, type TenantRow } from "@sigil/db";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { call, createTenantWithUsers, login, useTestEnv, type TestEnv } from "./harness.ts";

/** Check-then-write races of members (issue 7, item 5): each test sends its requests at once. */
let env: TestEnv;
beforeAll(async () => {
  env = await useTestEnv();
});
afterAll(() => env.cleanup());

const activeAdmins = (tenant: TenantRow) => tenantContext.runWithTenant(tenant.id, () => userModel.count({ role: "admin", status: "active" }));

describe("invitation acceptance", () => {
  test("10 parallel acceptances of one invitation: exactly one succeeds and one session exists", async () => {
    const { tenant } = await createTenantWithUsers("race-invite");
    const adminCookie = await login("race-invite", "admin@race-invite.test");
    const invited = await call<{ user: { id: string }; invitationToken: string }>(
      "mutation",
      "users.invite",
      { email: "twice@race-invite.test", name: "Twice", role: "user" },
      { tenant: "race-invite", cookie: adminCookie },
    );
    const token = invited.data?.invitationToken ?? "";
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) => call("mutation", "auth.acceptInvitation", { token, password: `password-number-${i}` }, { tenant: "race-invite" })),
    );
    expect(answers.filter((a) => a.status === 200)).toHaveLength(1);
    expect(answers.filter((a) => a.status === 404)).toHaveLength(9);
    const userId = invited.data?.user.id ?? "";
    expect(await tenantContext.runWithTenant(tenant.id, () => sessionModel.count({ userId }))).toBe(1);
  });
});

describe("the last active admin", () => {
  test("two admins demoting each other at once: one active admin remains", async () => {
    const { tenant, users } = await createTenantWithUsers("race-demote");
    const second = await tenantContext.runWithTenant(tenant.id, () => userModel.update(users.user.id, { role: "admin" }));
    const [firstCookie, secondCookie] = await Promise.all([login("race-demote", "admin@race-demote.test"), login("race-demote", second?.email ?? "")]);
    const answers = await Promise.all([
      call("mutation", "users.updateRole", { id: second?.id, role: "viewer" }, { tenant: "race-demote", cookie: firstCookie }),
      call("mutation", "users.updateRole", { id: users.admin.id, role: "viewer" }, { tenant: "race-demote", cookie: secondCookie }),
    ]);
    expect(await activeAdmins(tenant)).toBe(1);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 400]);
    expect(answers.find((a) => a.status === 400)?.error?.message).toBe("Cannot demote the last active admin of the workspace.");
  });

  test("two admins deactivating each other at once: one active admin remains", async () => {
    const { tenant, users } = await createTenantWithUsers("race-deactivate");
    const second = await tenantContext.runWithTenant(tenant.id, () => userModel.update(users.user.id, { role: "admin" }));
    const [firstCookie, secondCookie] = await Promise.all([
      login("race-deactivate", "admin@race-deactivate.test"),
      login("race-deactivate", second?.email ?? ""),
    ]);
    const answers = await Promise.all([
      call("mutation", "users.deactivate", { id: second?.id }, { tenant: "race-deactivate", cookie: firstCookie }),
      call("mutation", "users.deactivate", { id: users.admin.id }, { tenant: "race-deactivate", cookie: secondCookie }),
    ]);
    expect(await activeAdmins(tenant)).toBe(1);
    expect(answers.map((a) => a.status).sort()).toEqual([200, 400]);
  });
});
