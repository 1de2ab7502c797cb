import { sessionModel, sha256, tenantContext, userModel, type TenantRow } from "@sigil/db";
import superjson from "superjson";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { UNREADABLE_REQUEST_MESSAGE } from "../src/errors.ts";
import { EDGE_HEADERS } from "../src/http/edge-headers.ts";
import { handleTrpcRequest } from "../src/http/handler.ts";
import { call, cookieFrom, createTenantWithUsers, login, TEST_PASSWORD, useTestEnv, type TestEnv } from "./harness.ts";

let env: TestEnv;
let acme: TenantRow;
beforeAll(async () => {
  env = await useTestEnv();
  acme = (await createTenantWithUsers("acme")).tenant;
});
afterAll(() => env.cleanup());

/** Posts a raw body to a procedure on acme, the way a hostile client would. */
async function post(path: string, body: string): Promise<{ status: number; text: string; headers: Headers }> {
  const response = await handleTrpcRequest(
    new Request(`http://acme.localhost/api/trpc/${path}`, { method: "POST", headers: { host: "acme.localhost", "content-type": "application/json" }, body }),
  );
  return { status: response.status, text: await response.text(), headers: response.headers };
}

describe("no JavaScript exception text reaches a client", () => {
  const deep = (depth: number) => `{"json":${"[".repeat(depth)}${"]".repeat(depth)}}`;
  test.each([
    ["deeply nested JSON", deep(20_000), /Maximum call stack/],
    ["a null body", "null", /Cannot destructure/],
    ["malformed JSON", '{"json":', /Unexpected end/],
    ["superjson meta nested too deeply", `{"json":1,"meta":{"values":${"[".repeat(5_000)}${"]".repeat(5_000)}}}`, /Maximum call stack/],
  ])("%s answers 400 with a sentence for people", async (_name, body, leaked) => {
    const result = await post("auth.login", body);
    expect(result.status).toBe(400);
    expect(result.text).not.toMatch(leaked);
    const error = superjson.deserialize<{ message: string }>((JSON.parse(result.text) as { error: Parameters<typeof superjson.deserialize>[0] }).error);
    expect(error.message).toBe(UNREADABLE_REQUEST_MESSAGE);
  });

  test("messages written for people still come through", async () => {
    const wrong = await call("mutation", "auth.login", { email: "admin@acme.test", password: "wrong-password" }, { tenant: "acme" });
    expect(wrong.error?.message).toBe("Invalid email or password.");
  });
});

describe("batch cap", () => {
  test("a batch of more than 20 procedures is refused (400) before any runs; 20 run", async () => {
    const paths = (n: number) => Array.from({ length: n }, () => "auth.me").join(",");
    const input = encodeURIComponent(JSON.stringify({}));
    const get = (n: number) =>
      handleTrpcRequest(new Request(`http://acme.localhost/api/trpc/${paths(n)}?batch=1&input=${input}`, { headers: { host: "acme.localhost" } }));
    const refused = await get(21);
    expect(refused.status).toBe(400);
    const body = (await refused.json()) as { error: { json: { message: string; data: { code: string } } } }[];
    expect(body).toHaveLength(21);
    expect(body[0]?.error.json.message).toBe("A batch may call at most 20 procedures; this one calls 21. Split it into smaller batches.");
    expect(body[0]?.error.json.data.code).toBe("BAD_REQUEST");
    const allowed = await get(20);
    // Each call answers for itself (401: no credentials), none is refused for the batch's size.
    expect(allowed.status).toBe(401);
  });
});

describe("API answers are never cached", () => {
  test("Cache-Control: no-store on answers, with or without a session, and on the one that sets the cookie", async () => {
    const response = await handleTrpcRequest(
      new Request("http://acme.localhost/api/trpc/auth.login", {
        method: "POST",
        headers: { host: "acme.localhost", "content-type": "application/json" },
        body: JSON.stringify(superjson.serialize({ email: "admin@acme.test", password: TEST_PASSWORD })),
      }),
    );
    expect(response.status).toBe(200);
    expect(response.headers.getSetCookie()).toHaveLength(1);
    expect(response.headers.get("cache-control")).toBe("no-store");
    const cookie = cookieFrom(response.headers.getSetCookie());
    const me = await handleTrpcRequest(new Request("http://acme.localhost/api/trpc/auth.me", { headers: { host: "acme.localhost", cookie } }));
    expect(me.status).toBe(200);
    expect(me.headers.get("cache-control")).toBe("no-store");
    expect(me.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
  });
});

describe("Origin: scheme, host and port", () => {
  test("Origin https://… does not pass on http, nor http://… on https, nor another port", async () => {
    const cookie = await login("acme", "admin@acme.test");
    const input = { email: "scheme@acme.test", name: "Scheme", role: "user" };
    const https = await call("mutation", "users.invite", input, { tenant: "acme", cookie, origin: "https://acme.localhost" });
    expect(https.status).toBe(403);
    expect(https.error?.message).toBe("Cross-site request refused: https://acme.localhost may not act on http://acme.localhost.");
    const otherPort = await call("mutation", "users.invite", input, { tenant: "acme", cookie, origin: "http://acme.localhost:8080" });
    expect(otherPort.status).toBe(403);
    const overTls = { [EDGE_HEADERS.proto]: "https" };
    const httpOnTls = await call("mutation", "users.invite", input, { tenant: "acme", cookie, origin: "http://acme.localhost", headers: overTls });
    expect(httpOnTls.status).toBe(403);
    const defaultPort = await call("mutation", "users.invite", input, { tenant: "acme", cookie, origin: "https://acme.localhost:443", headers: overTls });
    expect(defaultPort.status).toBe(200);
  });

  describe("auth.logout", () => {
    test("with a cookie: another origin, another scheme or no Origin is refused and the session lives on", async () => {
      const cookie = await login("acme", "user@acme.test");
      const token = decodeURIComponent(cookie.split("=")[1] ?? "");
      for (const origin of ["http://evil.example", "https://acme.localhost", null]) {
        const result = await call("mutation", "auth.logout", undefined, { tenant: "acme", cookie, origin });
        expect(result.status, String(origin)).toBe(403);
        expect(result.setCookies).toEqual([]);
      }
      const session = await tenantContext.runWithTenant(acme.id, () => sessionModel.findByTokenHash(sha256(token)));
      expect(session).not.toBeNull();
      expect((await call("mutation", "auth.logout", undefined, { tenant: "acme", cookie })).status).toBe(200);
      expect(await tenantContext.runWithTenant(acme.id, () => sessionModel.findByTokenHash(sha256(token)))).toBeNull();
    });

    test("without a cookie there is nothing to end: any origin only gets the cookie cleared", async () => {
      const result = await call("mutation", "auth.logout", undefined, { tenant: "acme", origin: "http://evil.example" });
      expect(result.status).toBe(200);
      expect(result.setCookies.every((line) => /Max-Age=0/i.test(line))).toBe(true);
    });
  });

  describe("auth.acceptInvitation", () => {
    async function invite(email: string): Promise<string> {
      const cookie = await login("acme", "admin@acme.test");
      const created = await call<{ invitationToken: string }>("mutation", "users.invite", { email, name: "Invited", role: "user" }, { tenant: "acme", cookie });
      if (!created.data) throw new Error(created.error?.message);
      return created.data.invitationToken;
    }
    const statusOf = (email: string) => tenantContext.runWithTenant(acme.id, async () => (await userModel.findByEmail(email))?.status);

    test("cookie-less, from another origin or scheme: refused, the invitation stays open", async () => {
      const token = await invite("cross@acme.test");
      for (const origin of ["http://evil.example", "https://acme.localhost"]) {
        const result = await call("mutation", "auth.acceptInvitation", { token, password: "a-long-password" }, { tenant: "acme", origin });
        expect(result.status, origin).toBe(403);
        expect(result.setCookies).toEqual([]);
      }
      expect(await statusOf("cross@acme.test")).toBe("pending");
      // A program without a browser sends no Origin and may accept.
      const accepted = await call("mutation", "auth.acceptInvitation", { token, password: "a-long-password" }, { tenant: "acme", origin: null });
      expect(accepted.status).toBe(200);
    });

    test("with someone's session cookie, from another origin: refused, nobody is signed in", async () => {
      const token = await invite("cookie@acme.test");
      const cookie = await login("acme", "viewer@acme.test");
      const result = await call(
        "mutation",
        "auth.acceptInvitation",
        { token, password: "a-long-password" },
        { tenant: "acme", cookie, origin: "http://evil.example" },
      );
      expect(result.status).toBe(403);
      expect(result.setCookies).toEqual([]);
      expect(await statusOf("cookie@acme.test")).toBe("pending");
      const same = await call("mutation", "auth.acceptInvitation", { token, password: "a-long-password" }, { tenant: "acme", cookie });
      expect(same.status).toBe(200);
    });
  });
});
