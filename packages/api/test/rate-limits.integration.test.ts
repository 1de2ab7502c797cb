import { hashPassword, systemAdminModel } from "@sigil/db";
import { TRPCError } from "@trpc/server";
import { afterAll, afterEach, beforeAll, describe, expect, test, vi } from "vitest";
import { readApiConfig } from "../src/config.ts";
import { createInnerContext } from "../src/context.ts";
import { requestInfoFrom } from "../src/request-info.ts";
import { appRouter } from "../src/root.ts";
import { createCallerFactory } from "../src/trpc.ts";
import { call, cookieFrom, createTenantWithUsers, login, TEST_PASSWORD, useTestEnv, type CallResult, type TestEnv } from "./harness.ts";

/** Rate limits (issue 7, "Rate limits"): token buckets in shared.sqlite, 429 with Retry-After. */
let env: TestEnv;
beforeAll(async () => {
  env = await useTestEnv();
  await createTenantWithUsers("acme");
  await createTenantWithUsers("globex");
});
afterAll(() => env.cleanup());

const VARIABLES = ["RATE_LIMIT_SIGNIN_PER_IP", "RATE_LIMIT_SIGNIN_PER_ACCOUNT", "RATE_LIMIT_API_PER_KEY", "RATE_LIMIT_API_PER_TENANT"] as const;
/** Sets the limits (0 for the others) and freezes the clock: no bucket refills between two calls. */
function limits(values: Partial<Record<(typeof VARIABLES)[number], number>>): void {
  for (const name of VARIABLES) process.env[name] = String(values[name] ?? 0);
  vi.useFakeTimers({ toFake: ["Date"], now: Date.now() });
}
afterEach(() => {
  for (const name of VARIABLES) Reflect.deleteProperty(process.env, name);
  vi.useRealTimers();
});

function expectRateLimited(result: CallResult, seconds: number, what: RegExp): void {
  expect(result.status).toBe(429);
  expect(result.headers.get("retry-after")).toBe(String(seconds));
  expect(result.error?.message).toMatch(what);
  expect(result.error?.message).toContain(`Try again in ${seconds} second`);
}

const signIn = (tenant: string, email: string, password = "wrong-password") => call("mutation", "auth.login", { email, password }, { tenant });

describe("sign-in", () => {
  test("per account: the limit answers 429 with Retry-After, other accounts are not affected, and the bucket refills", async () => {
    limits({ RATE_LIMIT_SIGNIN_PER_ACCOUNT: 3 });
    for (let i = 0; i < 3; i += 1) expect((await signIn("acme", "viewer@acme.test")).status).toBe(401);
    expectRateLimited(await signIn("acme", "viewer@acme.test", TEST_PASSWORD), 20, /Too many sign-in attempts/);
    expect((await signIn("acme", "user@acme.test", TEST_PASSWORD)).status).toBe(200);
    expect((await signIn("globex", "viewer@acme.test")).status).toBe(401);
    vi.setSystemTime(Date.now() + 20_000);
    expect((await signIn("acme", "viewer@acme.test", TEST_PASSWORD)).status).toBe(200);
  });

  test("per account on the admin host too (an unknown email is limited the same way)", async () => {
    limits({ RATE_LIMIT_SIGNIN_PER_ACCOUNT: 2 });
    const adminSignIn = () => call("mutation", "admin.login", { email: "nobody@sigil.test", password: "wrong-password" }, { host: "admin.localhost" });
    expect((await adminSignIn()).status).toBe(401);
    expect((await adminSignIn()).status).toBe(401);
    expectRateLimited(await adminSignIn(), 30, /Too many sign-in attempts/);
  });

  describe("per IP", () => {
    const callerFor = (ip: string | null, host: string) => {
      const request = { ...requestInfoFrom(new Request(`http://${host}/api/trpc/auth.login`, { method: "POST", headers: { host } })), ip };
      const ctx = createInnerContext({ request, config: readApiConfig(process.env) });
      return { caller: createCallerFactory(appRouter)(ctx), ctx };
    };
    const codeOf = async (attempt: Promise<unknown>): Promise<string> => {
      try {
        await attempt;
        return "OK";
      } catch (error) {
        return error instanceof TRPCError ? error.code : "OTHER";
      }
    };

    test("one IP's sign-ins (tenant and admin) and invitation acceptances share a bucket; another IP has its own", async () => {
      limits({ RATE_LIMIT_SIGNIN_PER_IP: 3 });
      const one = (host: string) => callerFor("198.51.100.1", host);
      expect(await codeOf(one("acme.localhost").caller.auth.login({ email: "a1@acme.test", password: "wrong-password" }))).toBe("UNAUTHORIZED");
      expect(await codeOf(one("admin.localhost").caller.admin.login({ email: "a2@sigil.test", password: "wrong-password" }))).toBe("UNAUTHORIZED");
      expect(await codeOf(one("acme.localhost").caller.auth.acceptInvitation({ token: "x".repeat(32), password: "a-long-password" }))).toBe("NOT_FOUND");
      const refused = one("globex.localhost");
      expect(await codeOf(refused.caller.auth.login({ email: "a3@globex.test", password: "wrong-password" }))).toBe("TOO_MANY_REQUESTS");
      expect(refused.ctx.resHeaders.get("retry-after")).toBe("20");
      expect(await codeOf(callerFor("198.51.100.2", "acme.localhost").caller.auth.login({ email: "a1@acme.test", password: "wrong-password" }))).toBe(
        "UNAUTHORIZED",
      );
    });

    test("without a known IP there is no per-IP bucket", async () => {
      limits({ RATE_LIMIT_SIGNIN_PER_IP: 1 });
      for (let i = 0; i < 3; i += 1) {
        expect(await codeOf(callerFor(null, "acme.localhost").caller.auth.login({ email: `n${i}@acme.test`, password: "wrong-password" }))).toBe(
          "UNAUTHORIZED",
        );
      }
    });
  });
});

describe("invitation acceptance", () => {
  test("per invitation: repeated attempts with one token are limited", async () => {
    limits({ RATE_LIMIT_SIGNIN_PER_ACCOUNT: 2 });
    const accept = () => call("mutation", "auth.acceptInvitation", { token: "y".repeat(32), password: "a-long-password" }, { tenant: "acme" });
    expect((await accept()).status).toBe(404);
    expect((await accept()).status).toBe(404);
    expectRateLimited(await accept(), 30, /Too many attempts to accept an invitation/);
  });
});

describe("API keys", () => {
  async function newKey(tenant: string): Promise<string> {
    const cookie = await login(tenant, `admin@${tenant}.test`);
    const created = await call<{ plainKey: string }>("mutation", "apiKeys.create", { name: "rate", scopes: ["prompts:read"] }, { tenant, cookie });
    return created.data?.plainKey ?? "";
  }
  const list = (tenant: string, apiKey: string) => call("query", "prompts.list", {}, { tenant, apiKey });

  test("per key: the limit answers 429 with Retry-After; another key of the tenant has its own bucket", async () => {
    const [first, second] = [await newKey("acme"), await newKey("acme")];
    limits({ RATE_LIMIT_API_PER_KEY: 4 });
    for (let i = 0; i < 4; i += 1) expect((await list("acme", first)).status).toBe(200);
    expectRateLimited(await list("acme", first), 15, /Too many API requests/);
    expect((await list("acme", second)).status).toBe(200);
  });

  test("per tenant: the tenant's keys share its bucket; another tenant is not affected", async () => {
    const [first, second, other] = [await newKey("acme"), await newKey("acme"), await newKey("globex")];
    limits({ RATE_LIMIT_API_PER_TENANT: 4 });
    for (let i = 0; i < 2; i += 1) {
      expect((await list("acme", first)).status).toBe(200);
      expect((await list("acme", second)).status).toBe(200);
    }
    expectRateLimited(await list("acme", first), 15, /Too many API requests/);
    expect((await list("acme", second)).status).toBe(429);
    expect((await list("globex", other)).status).toBe(200);
  });

  test("a system administrator's key has its own bucket", async () => {
    await systemAdminModel.create({ email: "keys@sigil.test", name: "Keys", passwordHash: await hashPassword(TEST_PASSWORD) });
    const signedIn = await call("mutation", "admin.login", { email: "keys@sigil.test", password: TEST_PASSWORD }, { host: "admin.localhost" });
    const cookie = cookieFrom(signedIn.setCookies, "sigil_admin_session");
    const keys = [];
    for (const name of ["one", "two"])
      keys.push((await call<{ key: string }>("mutation", "admin.createApiKey", { name }, { host: "admin.localhost", cookie })).data?.key ?? "");
    limits({ RATE_LIMIT_API_PER_KEY: 2 });
    const stats = (apiKey: string) => call("query", "admin.stats", undefined, { host: "admin.localhost", apiKey });
    expect((await stats(keys[0] ?? "")).status).toBe(200);
    expect((await stats(keys[0] ?? "")).status).toBe(200);
    expectRateLimited(await stats(keys[0] ?? ""), 30, /Too many API requests/);
    expect((await stats(keys[1] ?? "")).status).toBe(200);
  });
});
