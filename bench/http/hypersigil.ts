import { spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { step } from "../lib/progress.ts";

/**
 * Single-tenant hypersigil, the product Sigil is a home for, served side by side with Sigil
 * (`pnpm bench http --hypersigil DIR`): its backend as built by bench/http/build-hypersigil.sh,
 * started on its own port in a directory of its own (it keeps its database in `./data`), with the
 * same 50 prompts. Its requests are the baseline for "an API call costs no more than it does in
 * hypersigil".
 */
export interface HypersigilServer {
  label: string;
  base: string;
  pid: number;
  /** The same read as Sigil's: the first 20 of 50 prompts, newest first. */
  listPath: string;
  headers: Record<string, string>;
  stop: () => Promise<void>;
}

const ADMIN = { email: "owner@hypersigil.test", name: "Bench owner", password: "hypersigil-bench-password" };

function backendVersion(dir: string): string {
  const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { name?: unknown; version?: unknown };
  if (manifest.name !== "hypersigil-backend")
    throw new Error(`--hypersigil ${dir}: not hypersigil's backend (its package.json names "${String(manifest.name)}")`);
  if (!existsSync(join(dir, "dist/index.js"))) throw new Error(`--hypersigil ${dir}: dist/index.js is missing; build it with bench/http/build-hypersigil.sh`);
  return String(manifest.version);
}

async function call(base: string, method: string, path: string, body: unknown, token?: string): Promise<unknown> {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { "content-type": "application/json", ...(token === undefined ? {} : { authorization: `Bearer ${token}` }) },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`hypersigil ${method} ${path}: HTTP ${response.status} ${text.slice(0, 200)}`);
  return JSON.parse(text) as unknown;
}

async function waitUntilAnswering(child: ChildProcess, base: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`hypersigil exited (${child.exitCode}) before it answered`);
    try {
      if ((await fetch(`${base}/api/v1/auth/check`)).ok) return;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) throw new Error("hypersigil did not answer within 60 s");
    await sleep(250);
  }
}

/**
 * hypersigil's API keys may read a prompt by id but not list prompts (its `prompts:read` scope
 * covers `getById` only), so its list is read with its own sign-in token: the same work as
 * Sigil's API-key path (a credential checked, its user read, then the page).
 */
async function seed(base: string): Promise<string> {
  await call(base, "POST", "/api/v1/auth/register-first-admin", ADMIN);
  const login = (await call(base, "POST", "/api/v1/auth/login", { email: ADMIN.email, password: ADMIN.password })) as { data?: { token?: unknown } };
  const token = login.data?.token;
  if (typeof token !== "string") throw new Error("hypersigil's login answered without a token");
  for (let i = 0; i < 50; i += 1) await call(base, "POST", "/api/v1/prompts/", { name: `Bench prompt ${i}`, prompt: `Hello {{name}} #${i}` }, token);
  return token;
}

export async function startHypersigil(dir: string, workDir: string, port: number): Promise<HypersigilServer> {
  const backend = resolve(dir);
  const label = `hypersigil ${backendVersion(backend)}`;
  const base = `http://127.0.0.1:${port}`;
  mkdirSync(workDir, { recursive: true });
  step(`starting ${label} (${backend}) on ${base}, data in ${workDir}/data`);
  // Its log lines (one per request) go nowhere, as a production deployment's would go to a file.
  const child = spawn(process.execPath, [join(backend, "dist/index.js")], {
    cwd: workDir,
    env: { ...process.env, PORT: String(port), NODE_ENV: "production" },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const exited = new Promise<void>((resolveExit) => child.once("exit", () => resolveExit()));
  let stopped: Promise<void> | undefined;
  const stop = () =>
    (stopped ??= (async () => {
      child.kill("SIGTERM");
      await Promise.race([exited, sleep(5_000).then(() => child.kill("SIGKILL"))]);
      await exited;
    })());
  try {
    await waitUntilAnswering(child, base);
    const token = await seed(base);
    if (child.pid === undefined) throw new Error("hypersigil has no process id");
    return { label, base, pid: child.pid, listPath: "/api/v1/prompts/?page=1&limit=20", headers: { authorization: `Bearer ${token}` }, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
