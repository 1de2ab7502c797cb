/**
 * Versions and deployments know each other: change notes on create/update/restore, a prompt's
 * deployments as labels on its versions (pinned or following the latest), "deploy this version"
 * (repin), and deleting a prompt together with its deployments (admins, one transaction, audited).
 */
import {
  auditLogModel,
  deploymentModel,
  executionModel,
  promptModel,
  tenantContext,
  type PromptRow,
  type PromptVersionRow,
  type TenantRow,
  type UserRow,
} from "@sigil/db";
import { MAX_CHANGE_NOTE_LENGTH } from "@sigil/validators";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { call, createTenantWithUsers, login, useTestEnv, type CallOptions, type CallResult, type TestEnv } from "./harness.ts";

let env: TestEnv;
let acme: { tenant: TenantRow; users: Record<"admin" | "user" | "viewer", UserRow> };
const as: Partial<Record<"admin" | "user" | "viewer", CallOptions>> = {};

function opt(role: "admin" | "user" | "viewer"): CallOptions {
  const found = as[role];
  if (!found) throw new Error(`no ${role}`);
  return found;
}
function ok<T>(result: CallResult<T>): T {
  if (result.error) throw new Error(`expected success, got ${result.status}: ${result.error.message}`);
  return result.data as T;
}
const inAcme = <T>(fn: () => Promise<T>) => tenantContext.runWithTenant(acme.tenant.id, fn);
const m = <T>(path: string, input: unknown, role: "admin" | "user" | "viewer") => call<T>("mutation", path, input, opt(role));
const q = <T>(path: string, input: unknown, role: "admin" | "user" | "viewer") => call<T>("query", path, input, opt(role));

interface Labels {
  currentVersion: number;
  deployments: { id: string; name: string; promptVersion: number | null; servedVersion: number; tracking: "pinned" | "latest" }[];
}

async function deploy(name: string, promptId: string, promptVersion: number | null): Promise<{ id: string; name: string }> {
  return ok(await m<{ id: string; name: string }>("deployments.create", { name, promptId, promptVersion, provider: "template", model: "mustache" }, "admin"));
}

beforeAll(async () => {
  env = await useTestEnv();
  acme = await createTenantWithUsers("acme");
  for (const role of ["admin", "user", "viewer"] as const) as[role] = { tenant: "acme", cookie: await login("acme", `${role}@acme.test`) };
});
afterAll(() => env.cleanup());

describe("change notes", () => {
  test("create, update and restore keep the person's note; without one, Sigil's default", async () => {
    const prompt = ok(await m<PromptRow>("prompts.create", { name: "noted", template: "Hi", changeNote: "  First draft for support  " }, "user"));
    ok(await m("prompts.update", { id: prompt.id, template: "Hi there", changeNote: "Friendlier greeting" }, "user"));
    ok(await m("prompts.update", { id: prompt.id, template: "Hello" }, "user"));
    ok(await m("prompts.update", { id: prompt.id, template: "Hello!", changeNote: "" }, "user"));
    ok(await m("prompts.restoreVersion", { id: prompt.id, version: 2, changeNote: "Back to the friendly one" }, "user"));
    ok(await m("prompts.restoreVersion", { id: prompt.id, version: 1 }, "user"));
    const versions = ok(await q<PromptVersionRow[]>("prompts.versions", { id: prompt.id }, "viewer"));
    expect(versions.map((version) => [version.version, version.changeNote])).toEqual([
      [6, "restore of v1"],
      [5, "restore of v2: Back to the friendly one"],
      [4, "update"],
      [3, "update"],
      [2, "Friendlier greeting"],
      [1, "First draft for support"],
    ]);
    const [audit] = await inAcme(() => auditLogModel.findMany({ where: { action: "prompt.updated" }, orderBy: { column: "createdAt", direction: "asc" } }));
    expect(audit?.details).toMatchObject({ version: 2, changeNote: "Friendlier greeting" });
  });

  test("a note over the limit is a 400 naming the limit; nothing is saved", async () => {
    const prompt = ok(await m<PromptRow>("prompts.create", { name: "long note", template: "Hi" }, "user"));
    const tooLong = await m("prompts.update", { id: prompt.id, template: "Changed", changeNote: "x".repeat(MAX_CHANGE_NOTE_LENGTH + 1) }, "user");
    expect(tooLong.status).toBe(400);
    expect(tooLong.error?.message).toMatch(new RegExp(`at most ${MAX_CHANGE_NOTE_LENGTH} characters`));
    expect((await inAcme(() => promptModel.findById(prompt.id)))?.currentVersion).toBe(1);
  });
});

describe("deployments as labels on versions", () => {
  test("forPrompt: pinned deployments serve their version, the others follow the latest as it moves", async () => {
    const prompt = ok(await m<PromptRow>("prompts.create", { name: "labelled", template: "v1" }, "user"));
    ok(await m("prompts.update", { id: prompt.id, template: "v2" }, "user"));
    await deploy("labelled-production", prompt.id, 1);
    await deploy("labelled-staging", prompt.id, null);
    const before = ok(await q<Labels>("deployments.forPrompt", { id: prompt.id }, "viewer"));
    expect(before.currentVersion).toBe(2);
    expect(before.deployments.map((d) => [d.name, d.servedVersion, d.tracking])).toEqual([
      ["labelled-production", 1, "pinned"],
      ["labelled-staging", 2, "latest"],
    ]);
    ok(await m("prompts.update", { id: prompt.id, template: "v3" }, "user"));
    const after = ok(await q<Labels>("deployments.forPrompt", { id: prompt.id }, "viewer"));
    expect(after.deployments.map((d) => [d.name, d.servedVersion])).toEqual([
      ["labelled-production", 1],
      ["labelled-staging", 3],
    ]);
    const missing = await q("deployments.forPrompt", { id: "00000000-0000-4000-8000-000000000000" }, "viewer");
    expect(missing.status).toBe(404);
  });

  test("deploy this version: an admin repins a deployment (promote); a member cannot", async () => {
    const prompt = ok(await m<PromptRow>("prompts.create", { name: "promoted", template: "v1" }, "user"));
    ok(await m("prompts.update", { id: prompt.id, template: "v2" }, "user"));
    const production = await deploy("promoted-production", prompt.id, 1);
    const refused = await m("deployments.update", { id: production.id, promptVersion: 2 }, "user");
    expect(refused.status).toBe(403);
    ok(await m("deployments.update", { id: production.id, promptVersion: 2 }, "admin"));
    const labels = ok(await q<Labels>("deployments.forPrompt", { id: prompt.id }, "viewer"));
    expect(labels.deployments[0]).toMatchObject({ name: "promoted-production", servedVersion: 2, tracking: "pinned" });
  });
});

describe("deleting a prompt with deployments", () => {
  async function deployedPrompt(name: string) {
    const prompt = ok(await m<PromptRow>("prompts.create", { name, template: "Hi {{name}}" }, "user"));
    const production = await deploy(`${name}-production`, prompt.id, 1);
    const staging = await deploy(`${name}-staging`, prompt.id, null);
    ok(await m("executions.create", { deploymentId: production.id, input: { name: "Ada" } }, "user"));
    return { prompt, production, staging };
  }

  test("deletionImpact lists every deployment (id and name) for the confirmation", async () => {
    const { prompt, production, staging } = await deployedPrompt("impact");
    const impact = ok(await q<{ deployments: number; deploymentList: { id: string; name: string }[] }>("prompts.deletionImpact", { id: prompt.id }, "viewer"));
    expect(impact.deployments).toBe(2);
    expect(impact.deploymentList).toEqual([
      { id: production.id, name: "impact-production" },
      { id: staging.id, name: "impact-staging" },
    ]);
  });

  test("without confirmation: 409 naming the deployments, and saying it can be deleted with them", async () => {
    const { prompt } = await deployedPrompt("refused");
    const result = await m("prompts.delete", { id: prompt.id }, "admin");
    expect(result.status).toBe(409);
    expect(result.error?.message).toMatch(/used by deployments "refused-production", "refused-staging"\. .*or delete the prompt together with them/);
  });

  test("a member (not admin) cannot delete the deployments with it: FORBIDDEN, nothing deleted", async () => {
    const { prompt, production, staging } = await deployedPrompt("member");
    const result = await m("prompts.delete", { id: prompt.id, deleteDeployments: [production.id, staging.id] }, "user");
    expect(result.status).toBe(403);
    expect(result.error?.message).toMatch(/Only an admin can delete a prompt's deployments/);
    expect(await inAcme(() => promptModel.findById(prompt.id))).not.toBeNull();
    expect(await inAcme(() => deploymentModel.count({ promptId: prompt.id }))).toBe(2);
  });

  test("an admin deletes the prompt with exactly the confirmed deployments; executions lose only their deployment; audited", async () => {
    const { prompt, production, staging } = await deployedPrompt("together");
    const result = ok(
      await m<{ ok: true; deletedDeployments: string[] }>("prompts.delete", { id: prompt.id, deleteDeployments: [staging.id, production.id] }, "admin"),
    );
    expect(result.deletedDeployments).toEqual(["together-production", "together-staging"]);
    expect(await inAcme(() => promptModel.findById(prompt.id))).toBeNull();
    expect(await inAcme(() => deploymentModel.count({ promptId: prompt.id }))).toBe(0);
    expect(await inAcme(() => executionModel.count({ promptId: prompt.id }))).toBe(0);
    const audit = await inAcme(() => auditLogModel.findMany({ where: { actorId: acme.users.admin.id } }));
    const deleted = audit.filter((row) => row.action === "deployment.deleted").map((row) => row.details);
    expect(deleted).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: "together-production", withPrompt: "together" }),
        expect.objectContaining({ name: "together-staging", withPrompt: "together" }),
      ]),
    );
    expect(audit.find((row) => row.action === "prompt.deleted" && row.targetId === prompt.id)?.details).toMatchObject({
      deployments: ["together-production", "together-staging"],
    });
  });

  test("deployments that changed since the confirmation (one added) refuse the delete; nothing is deleted", async () => {
    const { prompt, production, staging } = await deployedPrompt("raced");
    await deploy("raced-canary", prompt.id, null);
    const result = await m("prompts.delete", { id: prompt.id, deleteDeployments: [production.id, staging.id] }, "admin");
    expect(result.status).toBe(409);
    expect(result.error?.message).toMatch(
      /deployments of prompt "raced" changed since the confirmation \(now: "raced-canary", "raced-production", "raced-staging"\)/,
    );
    expect(await inAcme(() => promptModel.findById(prompt.id))).not.toBeNull();
    expect(await inAcme(() => deploymentModel.count({ promptId: prompt.id }))).toBe(3);
  });

  test("one transaction: a failure after the deployments' delete leaves the deployments in place", async () => {
    const { prompt, production, staging } = await deployedPrompt("atomic");
    // A trigger refuses deleting this prompt's row: the transaction fails after deleting the deployments.
    const trigger = (statement: string) => env.manager.withTenantDatabase(acme.tenant.id, (db) => db.run(sql.raw(statement)));
    trigger(`CREATE TRIGGER refuse_prompt_delete BEFORE DELETE ON prompts WHEN old.id = '${prompt.id}' BEGIN SELECT RAISE(ABORT, 'refused by test'); END`);
    try {
      const result = await m("prompts.delete", { id: prompt.id, deleteDeployments: [production.id, staging.id] }, "admin");
      expect(result.status).toBe(500);
    } finally {
      trigger("DROP TRIGGER refuse_prompt_delete");
    }
    expect(await inAcme(() => deploymentModel.count({ promptId: prompt.id }))).toBe(2);
    expect(await inAcme(() => promptModel.findById(prompt.id))).not.toBeNull();
  });
});
