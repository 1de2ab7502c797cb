import { expect, test } from "@playwright/test";
import { PORT } from "../support/env";
import { exchange, send, signInCookie, trpc } from "./support";

const PAGES = [
  { host: "localhost", path: "/" },
  { host: "acme.localhost", path: "/login" },
  { host: "admin.localhost", path: "/login" },
  { host: "localhost", path: "/tenant/acme/login" },
];

for (const page of PAGES) {
  test(`${page.host}${page.path}: CSP with a fresh nonce on every script, no 'unsafe-inline' script, no framing`, async () => {
    const first = await send(page);
    const second = await send(page);
    expect(first.status).toBe(200);
    const policy = String(first.headers["content-security-policy"]);
    const scriptSrc = policy
      .split(";")
      .map((part) => part.trim())
      .find((part) => part.startsWith("script-src "));
    const nonce = /'nonce-([^']+)'/.exec(scriptSrc ?? "")?.[1];
    expect(nonce).toBeDefined();
    expect(scriptSrc).not.toContain("'unsafe-inline'");
    expect(scriptSrc).not.toContain("'unsafe-eval'");
    expect(policy).toContain("frame-ancestors 'none'");
    expect(String(second.headers["content-security-policy"])).not.toContain(`'nonce-${nonce}'`);
    const scripts = first.text.match(/<script\b[^>]*>/g) ?? [];
    expect(scripts.length).toBeGreaterThan(0);
    for (const script of scripts) expect(script).toContain(`nonce="${nonce}"`);
    expect(first.headers["x-frame-options"]).toBe("DENY");
    expect(first.headers["x-content-type-options"]).toBe("nosniff");
    expect(first.headers["referrer-policy"]).toBe("strict-origin-when-cross-origin");
    expect(first.headers["permissions-policy"]).toContain("camera=()");
  });
}

test("static assets and API answers are not sniffed or framed either", async () => {
  for (const path of ["/favicon.ico", "/api/trpc/auth.me"]) {
    const answer = await send({ path, host: "acme.localhost" });
    expect(answer.headers["x-content-type-options"], path).toBe("nosniff");
    expect(answer.headers["x-frame-options"], path).toBe("DENY");
  }
});

test("no HSTS over plain http, not even when a client claims X-Forwarded-Proto: https (no trusted proxy)", async () => {
  const answer = await send({ path: "/", headers: { "x-forwarded-proto": "https" } });
  expect(answer.headers["strict-transport-security"]).toBeUndefined();
});

test("authenticated API answers, and the one setting the cookie, are Cache-Control: no-store", async () => {
  const login = await trpc(
    "mutation",
    "auth.login",
    { email: "owner@acme.test", password: "acme-demo-password" },
    { host: "acme.localhost", origin: `http://acme.localhost:${PORT}` },
  );
  expect(login.headers["set-cookie"]).toBeDefined();
  expect(login.headers["cache-control"]).toBe("no-store");
  const cookie = await signInCookie();
  const me = await trpc("query", "auth.me", undefined, { host: "acme.localhost", cookie });
  expect(me.status).toBe(200);
  expect(me.headers["cache-control"]).toBe("no-store");
});

test("two Host headers are refused (400), not served as the first", async () => {
  const { text } = await exchange(`GET / HTTP/1.1\r\nHost: acme.localhost:${PORT}\r\nHost: globex.localhost:${PORT}\r\nConnection: close\r\n\r\n`);
  expect(text).toMatch(/^HTTP\/1\.1 400 /);
  expect(text).toContain("more than one Host header");
});

test("internal routing headers sent by a client are ignored, also on paths ending in .txt, .js or .css", async () => {
  const forged = { "x-sigil-area": "workspace", "x-sigil-base-path": "/tenant/acme", "x-sigil-tenant": "acme" };
  for (const path of ["/x.txt", "/x.js", "/x.css"]) {
    const answer = await send({ path, headers: forged });
    expect(answer.status, path).toBe(404);
    // The 404 of the root host: the forged "workspace" area would offer "Go to the workspace".
    expect(answer.text, path).toContain("Go to the Sigil home page");
    expect(answer.text, path).not.toContain("Go to the workspace");
  }
});
