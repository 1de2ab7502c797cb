import { adminAuditLogModel, auditLogModel, hashPassword, systemAdminModel, tenantContext, type TenantRow } from "@sigil/db";
import superjson from "superjson";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { handleTrpcRequest } from "../src/http/handler.ts";
import { call, createTenantWithUsers, TEST_PASSWORD, useTestEnv, type TestEnv } from "./harness.ts";

/**
 * The lockout under parallel failures (issue 7, item 1) and the aggregated audit of failed
 * sign-ins (item 9). Rate limits are off here: these tests are about the lock alone.
 */
const RATE_LIMIT_VARIABLES = ["RATE_LIMIT_SIGNIN_PER_IP", "RATE_LIMIT_SIGNIN_PER_ACCOUNT"] as const;
const ADMIN_HOST = "admin.localhost";
let env: TestEnv;
let acme: TenantRow;
beforeAll(async () => {
  for (const name of RATE_LIMIT_VARIABLES) process.env[name] = "0";
  env = await useTestEnv();
  acme = (await createTenantWithUsers("acme")).tenant;
  const passwordHash = await hashPassword(TEST_PASSWORD);
  for (const email of ["ops@sigil.test", "batch-ops@sigil.test", "seq-ops@sigil.test", "audit-ops@sigil.test"])
    await systemAdminModel.create({ email, name: "Ops", passwordHash });
});
afterAll(() => {
  for (const name of RATE_LIMIT_VARIABLES) Reflect.deleteProperty(process.env, name);
  env.cleanup();
});

interface Answer {
  status: number;
  message: string | undefined;
}

type SignIn = (email: string, password: string) => Promise<Answer>;
const tenantSignIn: SignIn = async (email, password) => {
  const result = await call("mutation", "auth.login", { email, password }, { tenant: "acme" });
  return { status: result.status, message: result.error?.message };
};
const adminSignIn: SignIn = async (email, password) => {
  const result = await call("mutation", "admin.login", { email, password }, { host: ADMIN_HOST });
  return { status: result.status, message: result.error?.message };
};

type Item = { error?: { json: { message: string; data: { httpStatus: number } } } };

/** `count` sign-ins in one `?batch=1` request, answered together (tRPC runs them in parallel). */
async function batchSignIn(host: string, procedure: string, count: number, email: string, password: string): Promise<Answer[]> {
  const body = Object.fromEntries(Array.from({ length: count }, (_, i) => [String(i), superjson.serialize({ email, password })]));
  const url = `http://${host}/api/trpc/${Array.from({ length: count }, () => procedure).join(",")}?batch=1`;
  const response = await handleTrpcRequest(
    new Request(url, { method: "POST", headers: { host, "content-type": "application/json" }, body: JSON.stringify(body) }),
  );
  const items = (await response.json()) as Item[];
  return items.map((item) =>
    item.error ? { status: item.error.json.data.httpStatus, message: item.error.json.message } : { status: 200, message: undefined },
  );
}

const sorted = (answers: Answer[]) => answers.map((a) => `${a.status} ${a.message ?? ""}`).sort();

/** The lock's end is in the message to the minute; two runs compared may straddle a minute. */
function withoutClock(answer: Answer): Answer {
  return { ...answer, message: answer.message?.replace(/\(at \d\d:\d\d UTC\)/, "(at HH:MM UTC)") };
}

describe.each([
  {
    who: "tenant user",
    signIn: tenantSignIn,
    host: "acme.localhost",
    procedure: "auth.login",
    known: "user@acme.test",
    batchKnown: "admin@acme.test",
    sequentialKnown: "viewer@acme.test",
    domain: "acme.test",
  },
  {
    who: "system administrator",
    signIn: adminSignIn,
    host: ADMIN_HOST,
    procedure: "admin.login",
    known: "ops@sigil.test",
    batchKnown: "batch-ops@sigil.test",
    sequentialKnown: "seq-ops@sigil.test",
    domain: "sigil.test",
  },
])("$who sign-in lockout under parallel failures", ({ signIn, host, procedure, known, batchKnown, sequentialKnown, domain }) => {
  test("one failure after another: an unknown email's answers equal a real email's, step by step", async () => {
    const sequence = async (email: string) => {
      const answers: Answer[] = [];
      for (let i = 0; i < 6; i += 1) answers.push(await signIn(email, "wrong-password"));
      answers.push(await signIn(email, TEST_PASSWORD));
      return answers.map(withoutClock);
    };
    const real = await sequence(sequentialKnown);
    expect(real.map((a) => a.status)).toEqual([401, 401, 401, 401, 401, 429, 429]);
    expect(await sequence(`nobody-${sequentialKnown}`)).toEqual(real);
  });

  test("20 wrong passwords in parallel lock the account (the right password then answers 429), and an unknown email answers the same", async () => {
    const real = await Promise.all(Array.from({ length: 20 }, () => signIn(known, "wrong-password")));
    expect(real.filter((a) => a.status === 401)).toHaveLength(5);
    expect(real.filter((a) => a.status === 429)).toHaveLength(15);
    const right = await signIn(known, TEST_PASSWORD);
    expect(right.status).toBe(429);
    expect(right.message).toMatch(/Try again in 30 minutes/);

    const unknown = `ghost@${domain}`;
    const ghost = await Promise.all(Array.from({ length: 20 }, () => signIn(unknown, "wrong-password")));
    expect(sorted(ghost.map(withoutClock))).toEqual(sorted(real.map(withoutClock)));
    expect(withoutClock(await signIn(unknown, TEST_PASSWORD))).toEqual(withoutClock(right));
  });

  test("100 wrong passwords in batch requests lock the account (one batch of 100 is refused whole): the right password then answers 429", async () => {
    const whole = await batchSignIn(host, procedure, 100, batchKnown, "wrong-password");
    expect(whole).toHaveLength(100);
    for (const answer of whole) expect(answer).toEqual({ status: 400, message: expect.stringMatching(/A batch may call at most 20 procedures/) as unknown });
    const answers = (await Promise.all(Array.from({ length: 5 }, () => batchSignIn(host, procedure, 20, batchKnown, "wrong-password")))).flat();
    expect(answers.filter((a) => a.status === 401)).toHaveLength(5);
    expect(answers.filter((a) => a.status === 429)).toHaveLength(95);
    expect((await signIn(batchKnown, TEST_PASSWORD)).status).toBe(429);
  });
});

describe("failed sign-ins are audited once per account and window, with the count", () => {
  test("tenant: 30 failures in one window → one audit entry counting 30", async () => {
    await Promise.all(Array.from({ length: 30 }, () => tenantSignIn("counted@acme.test", "wrong-password")));
    const entries = await tenantContext.runWithTenant(acme.id, () => auditLogModel.findMany({ where: { action: "auth.login_failed" } }));
    const failed = entries.filter((e) => e.action === "auth.login_failed" && e.details.email === "counted@acme.test");
    expect(failed).toHaveLength(1);
    expect(failed[0]?.details.failures).toBe(30);
  });

  test("admin: 30 failures in one window → one admin audit entry counting 30", async () => {
    await Promise.all(Array.from({ length: 30 }, () => adminSignIn("audit-ops@sigil.test", "wrong-password")));
    const failed = (await adminAuditLogModel.findMany({ where: { action: "admin.login_failed" } })).filter((e) => e.details.email === "audit-ops@sigil.test");
    expect(failed).toHaveLength(1);
    expect(failed[0]?.details.failures).toBe(30);
  });
});
