import { spawn, type ChildProcess } from "node:child_process";
import { join } from "node:path";
import type { HybridDatabaseManager } from "@sigil/db";
import { installationEnvironment } from "@sigil/db/test-support/child";

const API_DIR = join(import.meta.dirname, "..");

/** An API server on `manager`'s installation in a child process (test/fixtures/api-server.ts): another process with caches of its own. */
export async function startServerProcess(manager: HybridDatabaseManager): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ["--import", "tsx", "test/fixtures/api-server.ts"], {
    cwd: API_DIR,
    env: { ...process.env, ...installationEnvironment(manager) },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the API server did not start\n${output}`)), 30_000);
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /^listening (\S+)$/m.exec(output);
      if (!match?.[1]) return;
      clearTimeout(timer);
      resolve(match[1]);
    };
    child.stdout?.on("data", read);
    child.stderr?.on("data", read);
    child.once("exit", (code) => reject(new Error(`the API server exited (${String(code)})\n${output}`)));
  });
  return { child, url };
}

/** Stops a server started by startServerProcess and waits for it to exit. */
export async function stopServerProcess(server: { child: ChildProcess }): Promise<void> {
  server.child.kill("SIGTERM");
  await new Promise((resolve) => server.child.once("exit", resolve));
}
