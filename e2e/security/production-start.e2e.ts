import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { expect, test } from "@playwright/test";
import { PORT } from "../support/env";

// Issue 7, item 9: `pnpm start` accepted SESSION_TTL_HOURS=abc (every sign-in then failed with
// 500) and served the demo's published passwords on any domain. Each case here must stop before
// the build: none of them may start a second production server.

const ROOT = resolve(import.meta.dirname, "../..");
/** A launcher still running after this is killed (with its process group), within the test's own timeout. */
const STOP_AFTER_MS = 45_000;
test.describe.configure({ timeout: STOP_AFTER_MS * 2 + 10_000 });

interface Run {
  code: number | null;
  output: string;
  ms: number;
}

/** The launcher's environment without anything of the developer's that changes the demo rules. */
function baseEnvironment(dataDir: string): NodeJS.ProcessEnv {
  const ignored = new Set(["SIGIL_DEMO", "SIGIL_ADMIN_EMAIL", "SIGIL_ADMIN_PASSWORD", "ROOT_DOMAIN", "SESSION_TTL_HOURS"]);
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !ignored.has(name)));
  return { ...env, DATA_DIR: dataDir, PORT: String(PORT + 1) };
}

/** Runs a script with node (TypeScript through tsx); killed (with its process group) after STOP_AFTER_MS. */
function run(script: string, env: NodeJS.ProcessEnv, cwd = ROOT): Promise<Run> {
  const started = Date.now();
  return new Promise((done) => {
    const args = script.endsWith(".ts") ? ["--import", "tsx", script] : [script];
    const child = spawn(process.execPath, args, { cwd, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => {
      if (child.pid !== undefined) process.kill(-child.pid, "SIGKILL");
    }, STOP_AFTER_MS);
    child.on("exit", (code) => {
      clearTimeout(timer);
      done({ code, output, ms: Date.now() - started });
    });
  });
}

let dataDir: string;
test.beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), "sigil-start-probe-"));
});
test.afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

test("pnpm start with SESSION_TTL_HOURS=abc exits 1 at once, naming the variable, before migrating or building", async () => {
  const result = await run("scripts/start.mjs", { ...baseEnvironment(dataDir), SESSION_TTL_HOURS: "abc" });
  expect(result.code, result.output).toBe(1);
  expect(result.output).toContain("SESSION_TTL_HOURS");
  expect(result.output).not.toContain("Migrating the databases");
  expect(result.output).not.toContain("Building the web app");
  expect(result.ms).toBeLessThan(STOP_AFTER_MS);
});

test("pnpm start with ROOT_DOMAIN=sigil.example.com on an installation with the demo exits 1, naming the demo passwords, before building", async () => {
  // The demo, seeded the way `pnpm db:seed` does (SIGIL_DEMO=1), then a start without it.
  const seeded = await run("scripts/seed.ts", { ...baseEnvironment(dataDir), SIGIL_DEMO: "1" }, join(ROOT, "packages/db"));
  expect(seeded.code, seeded.output).toBe(0);
  const result = await run("scripts/start.mjs", { ...baseEnvironment(dataDir), ROOT_DOMAIN: "sigil.example.com" });
  expect(result.code, result.output).toBe(1);
  expect(result.output).toContain("ROOT_DOMAIN=sigil.example.com is not localhost");
  expect(result.output).toContain("acme-demo-password");
  expect(result.output).toContain("sigil-admin-password");
  expect(result.output).not.toContain("Building the web app");
});
