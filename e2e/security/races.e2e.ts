import { expect, test } from "@playwright/test";
import { createTenant, ownAddress, sessionCookieOf, sessionOn, signInTo, trpc, type ProbeTenant, type Session } from "./support";

// Issue 7, item 5: check-then-write races. 10 parallel acceptances of one invitation gave 10
// sessions; two admins demoting each other left none; a deployment created while its prompt was
// deleted was cascade-deleted; a foreign-key violation answered 500.

let tenant: ProbeTenant;
let owner: Session;
test.beforeAll(async () => {
  tenant = await createTenant("races");
  owner = await signInTo(tenant, ownAddress());
});

interface Invited {
  user: { id: string; email: string };
  invitationToken: string;
}

async function invite(email: string, role: "admin" | "user"): Promise<Invited> {
  const answer = await owner.mutate("users.invite", { email, name: "Probe member", role });
  expect(answer.status, answer.text).toBe(200);
  return answer.data as Invited;
}

function accept(token: string, password: string, from: string) {
  return trpc("mutation", "auth.acceptInvitation", { token, password }, { host: tenant.host, origin: tenant.origin, from });
}

test("10 parallel acceptances of one invitation: exactly one 200 and one session, the others 404", async () => {
  const { invitationToken } = await invite(`invitee@${tenant.slug}.test`, "user");
  const from = ownAddress();
  const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => accept(invitationToken, `chosen-password-${i}`, from)));
  expect(answers.map((answer) => answer.status).sort()).toEqual([200, ...Array.from({ length: 9 }, () => 404)]);
  expect(answers.filter((answer) => answer.headers["set-cookie"] !== undefined)).toHaveLength(1);
  for (const answer of answers.filter((answer) => answer.status === 404)) expect(answer.message).toMatch(/not valid or has expired/);
});

test("two admins demoting each other at once, five times over: one admin always remains active", async () => {
  const from = ownAddress();
  const second = await invite(`second-admin@${tenant.slug}.test`, "admin");
  const password = "second-admin-password";
  const accepted = await accept(second.invitationToken, password, from);
  const other = sessionOn(tenant, sessionCookieOf(accepted), from);
  for (let round = 0; round < 5; round += 1) {
    const [first, last] = await Promise.all([
      owner.mutate("users.updateRole", { id: second.user.id, role: "user" }),
      other.mutate("users.updateRole", { id: tenant.owner.id, role: "user" }),
    ]);
    // One demotion succeeds; the other is refused (the last active admin) or no longer allowed (403).
    expect([first.status, last.status].filter((status) => status === 200)).toHaveLength(1);
    for (const answer of [first, last]) expect([200, 400, 403]).toContain(answer.status);
    const remaining = first.status === 200 ? owner : other;
    const users = (await remaining.query("users.list")).data as { id: string; role: string; status: string }[];
    expect(users.filter((user) => user.role === "admin" && user.status === "active")).toHaveLength(1);
    // Back to two admins for the next round.
    const demoted = first.status === 200 ? second.user.id : tenant.owner.id;
    expect((await remaining.mutate("users.updateRole", { id: demoted, role: "admin" })).status).toBe(200);
  }
});

test("deleting a prompt while a deployment for it is created: never a 500, and an acknowledged deployment still exists", async () => {
  for (let round = 0; round < 5; round += 1) {
    const prompt = await owner.mutate("prompts.create", { name: `Raced ${round}`, template: "Hello" });
    const promptId = (prompt.data as { id: string }).id;
    const [created, deleted] = await Promise.all([
      owner.mutate("deployments.create", { name: `raced-${round}`, promptId, provider: "template", model: "mustache" }),
      owner.mutate("prompts.delete", { id: promptId }),
    ]);
    expect([200, 404, 409], created.text).toContain(created.status);
    expect([200, 409], deleted.text).toContain(deleted.status);
    // Exactly one of the two wins.
    expect(created.status === 200).toBe(deleted.status === 409);
    if (created.status === 200) {
      const { id } = created.data as { id: string };
      expect((await owner.query("deployments.get", { id })).status).toBe(200);
    }
  }
});
