import { expect, test } from "@playwright/test";
import { DEMO, PORT } from "../support/env";
import { signInCookie, trpc } from "./support";

test("Origin https://acme.localhost on the http server is refused: scheme, host and port must all match", async () => {
  const cookie = await signInCookie();
  const invite = { email: "scheme-probe@acme.test", name: "Probe", role: "viewer" };
  const https = await trpc("mutation", "users.invite", invite, { host: "acme.localhost", cookie, origin: `https://acme.localhost:${PORT}` });
  expect(https.status).toBe(403);
  expect(https.message).toMatch(/Cross-site request refused/);
  const port = await trpc("mutation", "users.invite", invite, { host: "acme.localhost", cookie, origin: "http://acme.localhost:1" });
  expect(port.status).toBe(403);
  const login = await trpc("mutation", "auth.login", DEMO.acme, { host: "acme.localhost", origin: `https://acme.localhost:${PORT}` });
  expect(login.status).toBe(403);
  expect(login.headers["set-cookie"]).toBeUndefined();
});

test("a forged X-Forwarded-For is not the audit log's address (no trusted proxy)", async () => {
  const cookie = await signInCookie({ "x-forwarded-for": "203.0.113.99" });
  const audit = await trpc("query", "audit.list", { action: "auth.login" }, { host: "acme.localhost", cookie });
  expect(audit.status).toBe(200);
  const rows = (audit.data as { data: { action: string; ip: string | null }[] }).data;
  const newest = rows[0];
  expect(newest?.action).toBe("auth.login");
  expect(newest?.ip).not.toBe("203.0.113.99");
  expect(newest?.ip).toMatch(/127\.0\.0\.1$/);
});
