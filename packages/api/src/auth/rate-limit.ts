import { pruneFullRateLimitBuckets, sha256, takeRateLimitTokens } from "@sigil/db";
import { TRPCError } from "@trpc/server";
import type { InnerContext } from "../context.ts";

/** One bucket to draw from: its key, and the requests per minute it allows (0: no limit). */
export interface RateLimitBucket {
  key: string;
  perMinute: number;
  /** Draw tokens ahead into this process (@sigil/db models/rate-limit.ts): for the API's per-request limits, never for sign-ins. */
  lease?: boolean;
}

const MINUTE_MS = 60_000;
/** Every this many hits, up to PRUNE_BATCH full buckets are deleted: more than the hits can create. */
const PRUNE_EVERY = 64;
const PRUNE_BATCH = 256;
let hitsSincePrune = 0;

async function pruneNowAndThen(now: number): Promise<void> {
  hitsSincePrune += 1;
  if (hitsSincePrune < PRUNE_EVERY) return;
  hitsSincePrune = 0;
  await pruneFullRateLimitBuckets(now, PRUNE_BATCH);
}

function retryMessage(what: string, seconds: number): string {
  return `Too many ${what}. Try again in ${seconds} second${seconds === 1 ? "" : "s"}.`;
}

/**
 * Takes a token from each bucket (stored in shared.sqlite: every server process shares them).
 * The first empty one refuses the request with 429, a `Retry-After` header in seconds and a
 * message saying when to retry. `what` names the requests in that message ("sign-in attempts").
 */
export async function enforceRateLimits(ctx: Pick<InnerContext, "resHeaders">, what: string, buckets: RateLimitBucket[]): Promise<void> {
  const now = Date.now();
  const limited = buckets.filter((bucket) => bucket.perMinute > 0);
  if (limited.length === 0) return;
  const decision = await takeRateLimitTokens(
    limited.map((bucket) => ({ key: bucket.key, rule: { capacity: bucket.perMinute, periodMs: MINUTE_MS }, lease: bucket.lease === true })),
    now,
  );
  await pruneNowAndThen(now);
  if (!decision.allowed) {
    const seconds = Math.max(1, Math.ceil(decision.retryAfterMs / 1000));
    ctx.resHeaders.set("Retry-After", String(seconds));
    throw new TRPCError({ code: "TOO_MANY_REQUESTS", message: retryMessage(what, seconds) });
  }
}

/** The per-IP bucket of sign-ins and invitation acceptances; none when the IP is unknown. */
export function signInIpBucket(ctx: Pick<InnerContext, "request" | "config">): RateLimitBucket[] {
  const ip = ctx.request.ip;
  return ip === null ? [] : [{ key: `signin-ip:${ip}`, perMinute: ctx.config.rateLimits.signInPerIp }];
}

/** Sign-in buckets: the request's IP and the account (a sign-in key of models/sign-in-guard.ts). */
export async function enforceSignInRateLimits(ctx: InnerContext, signInKey: string): Promise<void> {
  await enforceRateLimits(ctx, "sign-in attempts", [...signInIpBucket(ctx), { key: `signin:${signInKey}`, perMinute: ctx.config.rateLimits.signInPerAccount }]);
}

/** Invitation-acceptance buckets: the request's IP (shared with sign-ins) and the invitation. */
export async function enforceInvitationRateLimits(ctx: InnerContext, tenantId: string, token: string): Promise<void> {
  await enforceRateLimits(ctx, "attempts to accept an invitation", [
    ...signInIpBucket(ctx),
    { key: `invitation:${tenantId}:${sha256(token)}`, perMinute: ctx.config.rateLimits.signInPerAccount },
  ]);
}

/** API calls with an API key: the key's bucket and its tenant's. */
export async function enforceApiKeyRateLimits(ctx: InnerContext, tenantId: string, apiKeyId: string): Promise<void> {
  await enforceRateLimits(ctx, "API requests", [
    { key: `api-key:${apiKeyId}`, perMinute: ctx.config.rateLimits.apiPerKey, lease: true },
    { key: `api-tenant:${tenantId}`, perMinute: ctx.config.rateLimits.apiPerTenant, lease: true },
  ]);
}
