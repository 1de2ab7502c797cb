/**
 * The monthly executions quota across processes (the web server and the worker are separate
 * processes on the same files): two processes create executions of one tenant at the same time;
 * together they stop exactly at the limit, and the usage counter agrees with the rows.
 */
import { spawn } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, expect, it } from "vitest";
import { executionModel } from "../src/models/execution.ts";
import { promptModel } from "../src/models/prompt.ts";
import type { TenantRow } from "../src/models/tenant.ts";
import { tenantContext } from "../src/tenant-context.ts";
import { createTenants, useTempDataDir } from "./helpers.ts";

const PACKAGE_ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
const WRITER = join(PACKAGE_ROOT, "test", "fixtures", "quota-writer.ts");
const LIMIT = 60;
const ATTEMPTS_EACH = 50;

let env: ReturnType<typeof useTempDataDir>;
let tenant: TenantRow;
let promptId: string;

beforeAll(async () => {
  env = useTempDataDir();
  [tenant] = (await createTenants("quota-procs")) as [TenantRow];
  promptId = (await tenantContext.runWithTenant(tenant.id, () => promptModel.create({ name: "p", template: "x" }))).id;
});
afterAll(() => env.cleanup());

function startWriter(): { ready: Promise<void>; done: Promise<{ accepted: number; refused: number }>; go: () => void } {
  const child = spawn(process.execPath, ["--import", "tsx", WRITER], {
    cwd: PACKAGE_ROOT,
    env: {
      ...process.env,
      DATA_DIR: env.dataDir,
      QUOTA_TENANT_ID: tenant.id,
      QUOTA_PROMPT_ID: promptId,
      QUOTA_LIMIT: String(LIMIT),
      QUOTA_ATTEMPTS: String(ATTEMPTS_EACH),
    },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.includes("ready\n")) resolve();
    });
    child.on("exit", () => reject(new Error(`writer exited before it was ready: ${stderr}`)));
  });
  const done = new Promise<{ accepted: number; refused: number }>((resolve, reject) => {
    child.on("exit", (code) => {
      const match = /done (\d+) (\d+)/.exec(stdout);
      if (code !== 0 || !match) reject(new Error(`writer failed (${String(code)}): ${stdout}\n${stderr}`));
      else resolve({ accepted: Number(match[1]), refused: Number(match[2]) });
    });
  });
  return { ready, done, go: () => child.stdin.end("go\n") };
}

it("two processes creating executions at once stop together at exactly the limit", async () => {
  const writers = [startWriter(), startWriter()];
  await Promise.all(writers.map((writer) => writer.ready));
  for (const writer of writers) writer.go();
  const results = await Promise.all(writers.map((writer) => writer.done));

  const accepted = results.reduce((sum, result) => sum + result.accepted, 0);
  const refused = results.reduce((sum, result) => sum + result.refused, 0);
  expect(accepted).toBe(LIMIT);
  expect(refused).toBe(2 * ATTEMPTS_EACH - LIMIT);
  // Both processes got some in: the writes really interleaved.
  for (const result of results) expect(result.accepted).toBeGreaterThan(0);
  await tenantContext.runWithTenant(tenant.id, async () => {
    expect(await executionModel.count()).toBe(LIMIT);
    expect(await executionModel.countThisMonth()).toBe(LIMIT);
  });
});
