/**
 * Input schemas of prompts, through the real HTTP handlers and real SQLite files: checked on save
 * (a 400 naming the keyword and path) and versioned with the prompt; every execution's variables
 * checked against its version's schema before anything is written (executions.create,
 * deployments.run, batchRuns.create with per-item errors); the draft schema generated from a
 * template; a batch target's options checked per provider kind.
 */
import { auditLogModel, batchRunModel, executionModel, promptModel, tenantContext, type PromptRow, type TenantRow, type UserRow } from "@sigil/db";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { call, createTenantWithUsers, login, useTestEnv, type CallOptions, type CallResult, type TestEnv } from "./harness.ts";

let env: TestEnv;
let acme: { tenant: TenantRow; users: Record<"admin" | "user" | "viewer", UserRow> };
const as: Record<"admin" | "user" | "viewer", CallOptions> = {} as never;

const q = <T>(path: string, input: unknown, options: CallOptions = as.user) => call<T>("query", path, input, options);
const m = <T>(path: string, input: unknown, options: CallOptions = as.user) => call<T>("mutation", path, input, options);
const inAcme = <T>(fn: () => Promise<T>) => tenantContext.runWithTenant(acme.tenant.id, fn);

function ok<T>(result: CallResult<T>): T {
  if (result.error) throw new Error(`expected success, got ${result.status} ${String(result.error.data.code)}: ${result.error.message}`);
  return result.data as T;
}

function refused(result: CallResult, message: RegExp): void {
  expect(result.error, `expected a 400, got ${JSON.stringify(result.data)?.slice(0, 200)}`).toBeDefined();
  expect(result.status).toBe(400);
  expect(result.error?.data.code).toBe("BAD_REQUEST");
  expect(result.error?.message).toMatch(message);
}

interface InputFailure {
  itemId: string | null;
  itemNumber: number | null;
  version: number;
  issues: { path: string; message: string }[];
}
const inputErrorsOf = (result: CallResult) => result.error?.data.inputErrors as InputFailure[] | null | undefined;

const CUSTOMER_SCHEMA = {
  type: "object",
  properties: { customer: { type: "string", minLength: 1 }, age: { type: "integer", minimum: 0 } },
  required: ["customer"],
};

async function newPrompt(overrides: Record<string, unknown> = {}): Promise<PromptRow> {
  return ok(await m<PromptRow>("prompts.create", { name: `p-${crypto.randomUUID()}`, template: "Hello {{customer}} ({{age}})", ...overrides }));
}

const executionCount = () => inAcme(() => executionModel.count());
const runCount = () => inAcme(() => batchRunModel.count());

beforeAll(async () => {
  env = await useTestEnv();
  acme = await createTenantWithUsers("acme");
  for (const role of ["admin", "user", "viewer"] as const) as[role] = { tenant: "acme", cookie: await login("acme", `${role}@acme.test`) };
});
afterAll(() => env.cleanup());

describe("input schemas are checked on save and versioned", () => {
  test("a schema that does not compile is a 400 naming the input schema, keyword and path; nothing is written", async () => {
    const before = await inAcme(() => promptModel.count());
    refused(
      await m("prompts.create", { name: "bad input", template: "x", inputSchema: { type: "object", properties: { n: { type: "strng" } } } }),
      /^The input schema is not valid: "type" at \/properties\/n\/type: must be one of: .*string/,
    );
    refused(await m("prompts.create", { name: "typo", template: "x", inputSchema: { type: "object", requird: ["a"] } }), /input schema .*"requird"/);
    expect(await inAcme(() => promptModel.count())).toBe(before);
    const check = ok(await m<{ message: string | null }>("prompts.checkResponseSchema", { schema: { type: "nope" }, subject: "input" }));
    expect(check.message).toMatch(/^The input schema is not valid/);
  });

  test("a change of the input schema makes a version (audited), restore brings the old one back, and the version keeps its own", async () => {
    const prompt = await newPrompt();
    expect(prompt.inputSchema).toBeNull();
    const v2 = ok(await m<PromptRow>("prompts.update", { id: prompt.id, inputSchema: CUSTOMER_SCHEMA }));
    expect(v2).toMatchObject({ currentVersion: 2, inputSchema: CUSTOMER_SCHEMA });
    const same = ok(await m<PromptRow>("prompts.update", { id: prompt.id, inputSchema: CUSTOMER_SCHEMA }));
    expect(same.currentVersion).toBe(2);
    const audit = await inAcme(() => auditLogModel.findMany({ where: { action: "prompt.updated", targetId: prompt.id } }));
    expect(audit.map((row) => (row.details as { changed: string[] }).changed)).toEqual([["inputSchema"]]);
    expect(ok(await q<{ inputSchema: unknown }>("prompts.getVersion", { id: prompt.id, version: 1 })).inputSchema).toBeNull();
    expect(ok(await q<{ inputSchema: unknown }>("prompts.getVersion", { id: prompt.id, version: 2 })).inputSchema).toEqual(CUSTOMER_SCHEMA);
    const restored = ok(await m<PromptRow>("prompts.restoreVersion", { id: prompt.id, version: 1 }));
    expect(restored).toMatchObject({ currentVersion: 3, inputSchema: null });
  });
});

describe("executions follow their version's input schema", () => {
  test("executions.create: a 400 naming each issue with the failures as data, nothing written; valid input runs", async () => {
    const prompt = await newPrompt({ inputSchema: CUSTOMER_SCHEMA });
    const before = await executionCount();
    const bad = await m("executions.create", { promptId: prompt.id, input: { age: -3 } });
    refused(bad, /does not follow the input schema of prompt ".*" \(version 1\): \(root\): is missing the required property "customer"; age: must be >= 0\./);
    expect(inputErrorsOf(bad)).toEqual([
      {
        itemId: null,
        itemNumber: null,
        version: 1,
        issues: [
          { path: "(root)", message: 'is missing the required property "customer"' },
          { path: "age", message: "must be >= 0" },
        ],
      },
    ]);
    refused(await m("executions.create", { promptId: prompt.id, input: { customer: "Ada", age: "36" } }), /age: must be an integer/);
    expect(await executionCount()).toBe(before);
    ok(await m("executions.create", { promptId: prompt.id, input: { customer: "Ada", age: 36 } }));
    expect(await executionCount()).toBe(before + 1);
  });

  test("each version is checked against its own schema: an older version without one takes any input", async () => {
    const prompt = await newPrompt();
    ok(await m("prompts.update", { id: prompt.id, inputSchema: CUSTOMER_SCHEMA }));
    ok(await m("executions.create", { promptId: prompt.id, version: 1, input: {} }));
    refused(await m("executions.create", { promptId: prompt.id, version: 2, input: {} }), /\(version 2\)/);
  });

  test("deployments.run and executions.create from a deployment are checked too", async () => {
    const prompt = await newPrompt({ inputSchema: CUSTOMER_SCHEMA });
    const deployment = ok(
      await m<{ id: string; name: string }>("deployments.create", { name: "greet", promptId: prompt.id, provider: "template", model: "mustache" }, as.admin),
    );
    const before = await executionCount();
    refused(await m("deployments.run", { name: "greet", input: { customer: "" } }), /customer: must NOT have fewer than 1 characters/);
    refused(await m("executions.create", { deploymentId: deployment.id, input: {} }), /missing the required property "customer"/);
    expect(await executionCount()).toBe(before);
    ok(await m("deployments.run", { name: "greet", input: { customer: "Ada" } }));
    expect(await executionCount()).toBe(before + 1);
  });

  test("a stored schema that no longer compiles refuses executions with what is wrong, not a 500", async () => {
    const prompt = await newPrompt();
    // As a hypersigil import may bring it: written below the API's check.
    await inAcme(() => promptModel.update(prompt.id, { inputSchema: { type: "object", requird: ["x"] } }));
    refused(await m("executions.create", { promptId: prompt.id, input: { customer: "Ada" } }), /\(schema\): The input schema is not valid: "requird"/);
  });
});

describe("batch runs check every item against every version they run", () => {
  async function dataset(rows: Record<string, unknown>[]): Promise<{ id: string; items: { id: string }[] }> {
    const created = ok(await m<{ id: string }>("datasets.create", { name: `d-${crypto.randomUUID()}` }));
    const items = ok(await m<{ id: string }[]>("datasets.addItems", { datasetId: created.id, items: rows.map((variables) => ({ variables })) }));
    return { id: created.id, items };
  }

  test("failing items are a 400 listing them (number, version, issues); no run and no execution is written", async () => {
    const prompt = await newPrompt();
    ok(await m("prompts.update", { id: prompt.id, inputSchema: CUSTOMER_SCHEMA }));
    const data = await dataset([{ customer: "A" }, { age: 4 }, { customer: "C", extra: "kept" }, { customer: 7 }, { customer: "E" }]);
    const [runsBefore, executionsBefore] = [await runCount(), await executionCount()];
    const result = await m("batchRuns.create", { promptId: prompt.id, datasetId: data.id, targets: [{ version: 1 }, { version: 2 }] });
    refused(
      result,
      /^2 dataset items of 5 do not follow the prompt's input schema, so the run was not started: item 2 \(version 2\): \(root\): is missing the required property "customer"; item 4 \(version 2\): customer: must be a string\. Fix the items/,
    );
    expect(inputErrorsOf(result)?.map((failure) => [failure.itemId, failure.itemNumber, failure.version])).toEqual([
      [data.items[1]?.id, 2, 2],
      [data.items[3]?.id, 4, 2],
    ]);
    expect([await runCount(), await executionCount()]).toEqual([runsBefore, executionsBefore]);
    // Version 1 has no schema: the same dataset runs on it alone.
    const run = ok(await m<{ total: number }>("batchRuns.create", { promptId: prompt.id, datasetId: data.id, targets: [{ version: 1 }] }));
    expect(run.total).toBe(5);
  });

  test("the message names five failures and counts the rest; all of them are in the data", async () => {
    const prompt = await newPrompt({ inputSchema: CUSTOMER_SCHEMA });
    const data = await dataset(Array.from({ length: 12 }, (_, index) => (index % 4 === 0 ? { customer: `c${index}` } : {})));
    const result = await m("batchRuns.create", { promptId: prompt.id, datasetId: data.id, targets: [{ version: 1 }] });
    refused(result, /^9 dataset items of 12 do not follow .*item 2 .*item 3 .*item 4 .*item 6 .*item 7 \(version 1\)[^;]*; and 4 more\./);
    expect(inputErrorsOf(result)).toHaveLength(9);
  });

  test("a target's options are checked for its provider's kind before anything is written", async () => {
    const prompt = await newPrompt();
    const data = await dataset([{ customer: "A" }]);
    const before = await runCount();
    refused(
      await m("batchRuns.create", { promptId: prompt.id, datasetId: data.id, targets: [{ version: 1, options: { temperature: 0.2 } }] }),
      /the template provider takes no options \(got temperature\)/,
    );
    expect(await runCount()).toBe(before);
  });
});

describe("a draft input schema from the template", () => {
  test("variables required, text and sections typed, dotted names nested; it accepts what the template renders", async () => {
    const template = "Dear {{customer}}, about {{user.name}} ({{user.id}}): {{#items}}- {{title}}\n{{/items}}{{^vip}}Standard{{/vip}}";
    const { schema } = ok(await m<{ schema: Record<string, unknown> }>("prompts.draftInputSchema", { template }, as.viewer));
    expect(schema).toEqual({
      type: "object",
      properties: {
        customer: { type: ["string", "number", "boolean"] },
        user: {
          type: "object",
          properties: { name: { type: ["string", "number", "boolean"] }, id: { type: ["string", "number", "boolean"] } },
          required: ["name", "id"],
        },
        items: { type: ["array", "object", "boolean"] },
        vip: { type: ["array", "object", "boolean"] },
      },
      required: ["customer", "user", "items", "vip"],
    });
    const prompt = await newPrompt({ template, inputSchema: schema });
    ok(await m("executions.create", { promptId: prompt.id, input: { customer: "Ada", user: { name: "Bo", id: 7 }, items: [{ title: "x" }], vip: false } }));
    refused(
      await m("executions.create", { promptId: prompt.id, input: { customer: "Ada", user: { name: "Bo" }, items: "x", vip: false } }),
      /user: is missing the required property "id"; items: must be an array or an object or a boolean/,
    );
    refused(await m("prompts.draftInputSchema", { template: "{{#open}} never closed" }), /cannot be parsed/);
  });
});
