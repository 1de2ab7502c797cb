import { spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { HybridDatabaseManager } from "../src/hybrid-manager.ts";
import { LEASE_MS, leaseSize, pruneFullRateLimitBuckets, takeRateLimitToken, takeRateLimitTokens, type RateLimitRule } from "../src/models/rate-limit.ts";
import { admitSignIn, recordSignInFailure, signInLockedUntil } from "../src/models/sign-in-guard.ts";
import { useTempDataDir } from "./helpers.ts";

const PACKAGE_ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
const HITTER = join(PACKAGE_ROOT, "test", "fixtures", "guard-hitter.ts");
const T0 = Date.UTC(2026, 0, 1);
const MINUTE = 60_000;
const POLICY = { maxFailures: 5, lockoutMs: 30 * MINUTE };

let env: Awaited<ReturnType<typeof useTempDataDir>>;
beforeAll(async () => {
  env = await useTempDataDir();
});
afterAll(() => env.cleanup());

const rowCount = (table: string) =>
  (HybridDatabaseManager.getInstance().getSharedDatabase().$client.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;

/** Runs the hitter in another process on the same shared.sqlite; resolves with its decisions. */
function hitFromAnotherProcess(vars: Record<string, string | number>): Promise<{ allowed: number; lastFailures: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", HITTER], {
      cwd: PACKAGE_ROOT,
      env: { ...process.env, DATA_DIR: env.dataDir, ...Object.fromEntries(Object.entries(vars).map(([k, v]) => [k, String(v)])) },
      stdio: ["ignore", "pipe", "inherit"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("error", reject);
    child.on("exit", (code) =>
      code === 0 ? resolve(JSON.parse(output) as { allowed: number; lastFailures: number }) : reject(new Error(`hitter exited ${String(code)}`)),
    );
  });
}

describe("rate-limit buckets", async () => {
  const rule: RateLimitRule = { capacity: 3, periodMs: MINUTE };

  test("a bucket allows its capacity, then refuses with the time until the next token; it refills with time", async () => {
    const decisions = [];
    for (let i = 0; i < 4; i += 1) decisions.push(await takeRateLimitToken("ip:a", rule, T0));
    expect(decisions.map((d) => d.allowed)).toEqual([true, true, true, false]);
    expect(decisions[3]?.retryAfterMs).toBe(20_000);
    expect(await takeRateLimitToken("ip:a", rule, T0 + 10_000)).toEqual({ allowed: false, retryAfterMs: 10_000 });
    expect((await takeRateLimitToken("ip:a", rule, T0 + 20_000)).allowed).toBe(true);
    expect((await takeRateLimitToken("ip:a", rule, T0 + 20_000)).allowed).toBe(false);
  });

  test("separate keys do not share a bucket", async () => {
    for (let i = 0; i < 3; i += 1) await takeRateLimitToken("ip:b", rule, T0);
    expect((await takeRateLimitToken("ip:b", rule, T0)).allowed).toBe(false);
    expect((await takeRateLimitToken("ip:c", rule, T0)).allowed).toBe(true);
  });

  test("two processes hitting one bucket at once share it: exactly its capacity is let through", async () => {
    const results = await Promise.all(
      [1, 2].map(() => hitFromAnotherProcess({ GUARD_KIND: "bucket", GUARD_KEY: "api-key:shared", GUARD_HITS: 50, GUARD_NOW: T0, GUARD_CAPACITY: 60 })),
    );
    expect(results.reduce((sum, r) => sum + r.allowed, 0)).toBe(60);
    expect((await takeRateLimitToken("api-key:shared", { capacity: 60, periodMs: MINUTE }, T0)).allowed).toBe(false);
  });

  describe("leased (the API's per-request limits)", async () => {
    const large: RateLimitRule = { capacity: 600, periodMs: MINUTE };
    const leased = async (key: string, now = T0) => (await takeRateLimitTokens([{ key, rule: large, lease: true }], now)).allowed;
    const stored = (key: string) =>
      HybridDatabaseManager.getInstance().getSharedDatabase().$client.prepare("SELECT tokens FROM rate_limit_buckets WHERE key = ?").get(key) as
        { tokens: number } | undefined;

    test("one process gets exactly the capacity, drawing a lease's worth of tokens per write", async () => {
      expect(leaseSize(large)).toBe(12);
      expect(await leased("api-key:lease")).toBe(true);
      expect(stored("api-key:lease")?.tokens).toBe(600 - 12);
      for (let i = 1; i < 12; i += 1) expect(await leased("api-key:lease")).toBe(true);
      expect(stored("api-key:lease")?.tokens).toBe(600 - 12);
      let allowed = 12;
      for (let i = 0; i < 700; i += 1) if (await leased("api-key:lease")) allowed += 1;
      expect(allowed).toBe(600);
    });

    test("an unspent lease lapses after LEASE_MS: the next request draws from the bucket again", async () => {
      expect(await leased("api-key:lapse")).toBe(true);
      expect(await leased("api-key:lapse", T0 + LEASE_MS - 1)).toBe(true);
      expect(stored("api-key:lapse")?.tokens).toBe(600 - 12);
      expect(await leased("api-key:lapse", T0 + LEASE_MS)).toBe(true);
      expect(stored("api-key:lapse")?.tokens).toBeGreaterThan(600 - 2 * 12 - 1);
      expect(stored("api-key:lapse")?.tokens).toBeLessThan(600 - 12);
    });

    test("small buckets never lease: each hit is decided in the database", async () => {
      expect(leaseSize({ capacity: 60, periodMs: MINUTE })).toBe(1);
      expect((await takeRateLimitTokens([{ key: "signin:small", rule: { capacity: 60, periodMs: MINUTE }, lease: true }], T0)).allowed).toBe(true);
      expect(stored("signin:small")?.tokens).toBe(59);
    });

    test("two processes with leases never let more than the capacity through, and lose at most a lease each", async () => {
      const results = await Promise.all(
        [1, 2].map(() =>
          hitFromAnotherProcess({ GUARD_KIND: "leased", GUARD_KEY: "api-key:leased-shared", GUARD_HITS: 400, GUARD_NOW: T0, GUARD_CAPACITY: 600 }),
        ),
      );
      const total = results.reduce((sum, r) => sum + r.allowed, 0);
      expect(total).toBeLessThanOrEqual(600);
      expect(total).toBeGreaterThanOrEqual(600 - 2 * 12);
    });

    test("in order: a refused bucket leaves the buckets after it untouched", async () => {
      const tiny: RateLimitRule = { capacity: 1, periodMs: MINUTE };
      expect((await takeRateLimitTokens([{ key: "api-key:first", rule: tiny, lease: true }], T0)).allowed).toBe(true);
      const decision = await takeRateLimitTokens(
        [
          { key: "api-key:first", rule: tiny, lease: true },
          { key: "api-tenant:second", rule: large, lease: true },
        ],
        T0,
      );
      expect(decision.allowed).toBe(false);
      expect(stored("api-tenant:second")).toBeUndefined();
    });
  });

  test("buckets that have refilled completely are pruned; the others stay", async () => {
    const before = rowCount("rate_limit_buckets");
    await takeRateLimitToken("ip:fresh", rule, T0 + 10 * MINUTE);
    expect(await pruneFullRateLimitBuckets(T0 + 10 * MINUTE)).toBe(before);
    expect(rowCount("rate_limit_buckets")).toBe(1);
  });
});

describe("sign-in failure counters", async () => {
  test("the fifth failure locks; later failures are refused as locked; a success is refused while locked", async () => {
    const results = [];
    for (let i = 0; i < 7; i += 1) results.push(await recordSignInFailure("t1:a@x.test", POLICY, T0));
    expect(results.map((r) => r.failures)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(results.map((r) => r.refusedAsLocked)).toEqual([false, false, false, false, false, true, true]);
    expect(results[4]?.lockedUntil?.getTime()).toBe(T0 + 30 * MINUTE);
    expect((await admitSignIn("t1:a@x.test", T0 + MINUTE)).lockedUntil?.getTime()).toBe(T0 + 30 * MINUTE);
    expect(await admitSignIn("t1:a@x.test", T0 + 31 * MINUTE)).toEqual({ lockedUntil: null });
    expect((await recordSignInFailure("t1:a@x.test", POLICY, T0 + 31 * MINUTE)).failures).toBe(1);
  });

  test("a window that ended starts again at 1 (the row is reused)", async () => {
    for (let i = 0; i < 3; i += 1) await recordSignInFailure("t1:b@x.test", POLICY, T0);
    const later = await recordSignInFailure("t1:b@x.test", POLICY, T0 + 31 * MINUTE);
    expect(later).toMatchObject({ failures: 1, lockedUntil: null, refusedAsLocked: false });
    expect(later.windowStartedAt.getTime()).toBe(T0 + 31 * MINUTE);
  });

  test("two processes failing at once: every failure is counted and the key is locked", async () => {
    const results = await Promise.all(
      [1, 2].map(() => hitFromAnotherProcess({ GUARD_KIND: "failure", GUARD_KEY: "admin:shared@x.test", GUARD_HITS: 100, GUARD_NOW: T0 })),
    );
    expect(Math.max(...results.map((r) => r.lastFailures))).toBe(200);
    expect(await signInLockedUntil("admin:shared@x.test", T0 + MINUTE)).not.toBeNull();
  });

  test("expired rows of other keys are pruned by later failures: the table does not grow without bound", async () => {
    for (let i = 0; i < 50; i += 1) await recordSignInFailure(`t1:spray-${i}@x.test`, POLICY, T0);
    const before = rowCount("sign_in_failures");
    for (let i = 0; i < 10; i += 1) await recordSignInFailure(`t1:late-${i}@x.test`, POLICY, T0 + 60 * MINUTE);
    expect(rowCount("sign_in_failures")).toBeLessThan(before);
    const spray = HybridDatabaseManager.getInstance()
      .getSharedDatabase()
      .$client.prepare(`SELECT count(*) AS n FROM sign_in_failures WHERE key LIKE 't1:spray-%'`)
      .get() as { n: number };
    expect(spray.n).toBe(0);
  });
});
