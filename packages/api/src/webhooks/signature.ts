import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";

/** The headers of a webhook delivery (docs/webhooks.md). */
export const SIGNATURE_HEADER = "Sigil-Signature";
export const EVENT_ID_HEADER = "Sigil-Event-Id";
export const EVENT_HEADER = "Sigil-Event";
export const WEBHOOK_USER_AGENT = "Sigil-Webhooks";
/** A receiver should refuse signatures older than this (replays); the docs' snippet uses it. */
export const DEFAULT_TOLERANCE_SECONDS = 300;

/** A new signing secret: `whsec_` and 32 random bytes (base64url); the whole string is the HMAC key. */
export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString("base64url")}`;
}

/** Hex HMAC-SHA256 of `<t>.<body>` with the secret (UTF-8) as key. */
function hmac(secret: string, timestamp: number, body: string): string {
  return createHmac("sha256", secret).update(`${timestamp}.${body}`).digest("hex");
}

/** `Sigil-Signature`'s value: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`. */
export function signatureHeader(secret: string, body: string, timestampSeconds: number): string {
  if (!Number.isInteger(timestampSeconds) || timestampSeconds < 0)
    throw new RangeError(`A signature's timestamp must be whole Unix seconds; got ${timestampSeconds}.`);
  return `t=${timestampSeconds},v1=${hmac(secret, timestampSeconds, body)}`;
}

export interface VerifyOptions {
  /** Refuse a timestamp further than this from `nowSeconds` (default 300). */
  toleranceSeconds?: number;
  nowSeconds?: number;
}

/**
 * Whether `header` (a `Sigil-Signature` value) signs `body` (the raw request body, exactly as
 * received) with `secret`, at a time within the tolerance. Several `v1=` values (during a secret
 * rotation a receiver may hold two secrets) pass if any matches. The code of docs/webhooks.md,
 * "Verifying webhook signatures", does the same, and signature.test.ts runs it.
 */
export function verifyWebhookSignature(secret: string, header: string, body: string, options: VerifyOptions = {}): boolean {
  const tolerance = options.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  const now = options.nowSeconds ?? Math.floor(Date.now() / 1000);
  let timestamp: number | null = null;
  const signatures: string[] = [];
  for (const part of header.split(",")) {
    const [key, value] = part.split("=", 2).map((item) => item.trim());
    if (key === "t" && value && /^\d+$/.test(value)) timestamp = Number(value);
    else if (key === "v1" && value) signatures.push(value);
  }
  if (timestamp === null || signatures.length === 0 || Math.abs(now - timestamp) > tolerance) return false;
  const expected = Buffer.from(hmac(secret, timestamp, body), "hex");
  return signatures.some((signature) => {
    const given = Buffer.from(signature, "hex");
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}
