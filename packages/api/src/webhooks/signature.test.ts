import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { WEBHOOK_EVENT_TYPES } from "@sigil/db";
import { WEBHOOK_EVENTS } from "@sigil/validators";
import { describe, expect, test } from "vitest";
import { generateWebhookSecret, signatureHeader, verifyWebhookSignature } from "./signature.ts";

const SECRET = "whsec_test-secret";
const BODY = JSON.stringify({ id: "evt", type: "ping", data: { text: "héllo ✓" } });
const T = 1_780_000_000;

type Verify = (secret: string, header: string, rawBody: string, toleranceSeconds?: number, nowSeconds?: number) => boolean;

/** The code block of docs/webhooks.md's "Verifying webhook signatures", as a function. */
async function docsVerifier(): Promise<Verify> {
  const docs = readFileSync(join(import.meta.dirname, "../../../../docs/webhooks.md"), "utf8");
  const section = docs.slice(docs.indexOf("## Verifying webhook signatures"));
  const code = /```js\n([\s\S]*?)```/.exec(section)?.[1];
  if (!code) throw new Error("docs/webhooks.md has no js block under its verification section");
  const url = `data:text/javascript;base64,${Buffer.from(code).toString("base64")}`;
  const module = (await import(/* @vite-ignore */ url)) as { verifySigilSignature: Verify };
  return module.verifySigilSignature;
}

describe("Sigil-Signature", () => {
  test("is t=<unix seconds>,v1=<hex HMAC-SHA256 of '<t>.<body>'>", () => {
    const header = signatureHeader(SECRET, BODY, T);
    const expected = createHmac("sha256", SECRET).update(`${T}.${BODY}`, "utf8").digest("hex");
    expect(header).toBe(`t=${T},v1=${expected}`);
    expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
  });

  test("verifies only the same secret, body and a recent timestamp", () => {
    const header = signatureHeader(SECRET, BODY, T);
    expect(verifyWebhookSignature(SECRET, header, BODY, { nowSeconds: T + 10 })).toBe(true);
    expect(verifyWebhookSignature("whsec_other", header, BODY, { nowSeconds: T })).toBe(false);
    expect(verifyWebhookSignature(SECRET, header, BODY.replace("héllo", "hello"), { nowSeconds: T })).toBe(false);
    expect(verifyWebhookSignature(SECRET, header, BODY, { nowSeconds: T + 301 })).toBe(false);
    expect(verifyWebhookSignature(SECRET, header.replace(`t=${T}`, `t=${T + 1}`), BODY, { nowSeconds: T })).toBe(false);
    expect(verifyWebhookSignature(SECRET, "v1=abc", BODY, { nowSeconds: T })).toBe(false);
    expect(verifyWebhookSignature(SECRET, `t=${T},v1=00,${header.split(",")[1] ?? ""}`, BODY, { nowSeconds: T })).toBe(true);
  });

  test("the docs' snippet accepts Sigil's signatures and refuses altered ones", async () => {
    const verify = await docsVerifier();
    const header = signatureHeader(SECRET, BODY, T);
    expect(verify(SECRET, header, BODY, 300, T + 5)).toBe(true);
    expect(verify(SECRET, header, `${BODY} `, 300, T)).toBe(false);
    expect(verify("whsec_other", header, BODY, 300, T)).toBe(false);
    expect(verify(SECRET, header, BODY, 300, T + 600)).toBe(false);
    const fresh = signatureHeader(SECRET, BODY, Math.floor(Date.now() / 1000));
    expect(verify(SECRET, fresh, BODY)).toBe(true);
  });

  test("secrets are whsec_ and 32 random bytes", () => {
    const a = generateWebhookSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(generateWebhookSecret()).not.toBe(a);
  });

  test("the events the validators accept are the events the models send", () => {
    expect([...WEBHOOK_EVENTS]).toEqual([...WEBHOOK_EVENT_TYPES]);
  });
});
