import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";

const API_DIR = join(import.meta.dirname, "..");

/** A process committing prompts w-1, w-2… into the tenant's file until stopped (fixtures/tenant-writer.ts). */
export async function startWriter(dataDir: string, tenantId: string): Promise<{ child: ChildProcess; stop: () => Promise<number> }> {
  const child = spawn(process.execPath, ["--import", "tsx", "test/fixtures/tenant-writer.ts"], {
    cwd: API_DIR,
    env: { ...process.env, DATA_DIR: dataDir, TENANT_ID: tenantId },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the writer did not start\n${output}`)), 30_000);
    child.stdout?.on("data", () => {
      if (!output.includes("writing")) return;
      clearTimeout(timer);
      resolve();
    });
    child.once("exit", (code) => reject(new Error(`the writer exited (${String(code)})\n${output}`)));
  });
  const stop = async () => {
    child.kill("SIGTERM");
    await new Promise((resolve) => child.once("exit", resolve));
    const match = /wrote (\d+)/.exec(output);
    if (!match?.[1]) throw new Error(`the writer did not report\n${output}`);
    return Number(match[1]);
  };
  return { child, stop };
}

/** 1…k. */
export const prefix = (k: number) => Array.from({ length: k }, (_, i) => i + 1);
