import { spawn, type ChildProcess } from "node:child_process";
import { join, resolve } from "node:path";
import { step } from "../lib/progress.ts";

const ROOT = resolve(import.meta.dirname, "..", "..");

/** The production server as `pnpm start` runs it (build, web app + worker), on its own data dir. */
export async function startProductionServer(dataDir: string, port: number): Promise<{ stop: () => Promise<void> }> {
  step(`building and starting the production server on 127.0.0.1:${port} (data in ${dataDir})`);
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", join(ROOT, "scripts/start.ts")], {
    cwd: ROOT,
    // The benchmark signs in with a demo login: seed the demo whatever the environment says. The
    // rate limits stay on (their cost is measured) but high enough never to refuse.
    env: {
      ...process.env,
      DATA_DIR: dataDir,
      PORT: String(port),
      SIGIL_BENCH_BASELINE: "1",
      SIGIL_DEMO: "1",
      RATE_LIMIT_API_PER_KEY: "1000000000",
      RATE_LIMIT_API_PER_TENANT: "1000000000",
    },
    stdio: ["ignore", "ignore", "inherit"],
  });
  const exited = new Promise<void>((resolveExit) => child.once("exit", () => resolveExit()));
  const deadline = Date.now() + 240_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode}) before it answered`);
    try {
      const response = await fetch(`http://127.0.0.1:${port}/`);
      if (response.ok) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) throw new Error("the server did not answer within 4 minutes");
    await new Promise((wait) => setTimeout(wait, 500));
  }
  return {
    stop: async () => {
      child.kill("SIGTERM");
      await exited;
    },
  };
}
