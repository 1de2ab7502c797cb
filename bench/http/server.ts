import { spawn, type ChildProcess } from "node:child_process";
import { join, resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { childPids, commandLine } from "../lib/processes.ts";
import { step } from "../lib/progress.ts";

const ROOT = resolve(import.meta.dirname, "..", "..");

export interface ProductionServer {
  /** The processes `pnpm start` leaves running: its launcher, the web server, the worker. */
  pids: { launcher: number; web: number; worker: number };
  stop: () => Promise<void>;
}

/** The production server as `pnpm start` runs it (build, web server + worker), on its own data dir. */
export async function startProductionServer(dataDir: string, port: number): Promise<ProductionServer> {
  step(`building and starting the production server on 127.0.0.1:${port} (data in ${dataDir})`);
  const child: ChildProcess = spawn(process.execPath, [join(ROOT, "scripts/start.mjs")], {
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
  const deadline = Date.now() + 300_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode}) before it answered`);
    try {
      const response = await fetch(`http://127.0.0.1:${port}/`);
      if (response.ok) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) throw new Error("the server did not answer within 5 minutes");
    await sleep(500);
  }
  const launcher = child.pid ?? 0;
  const children = childPids(launcher);
  const web = children.find((pid) => commandLine(pid).includes("server.mjs"));
  const worker = children.find((pid) => commandLine(pid).includes("worker.mjs"));
  if (web === undefined || worker === undefined)
    throw new Error(`the launcher's children are not the web server and the worker: ${children.map(commandLine).join("; ")}`);
  return {
    pids: { launcher, web, worker },
    stop: async () => {
      child.kill("SIGTERM");
      await exited;
    },
  };
}
