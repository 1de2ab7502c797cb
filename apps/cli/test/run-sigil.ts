import { spawn, spawnSync } from "node:child_process";
import { join } from "node:path";
import { HybridDatabaseManager } from "@sigil/db";

/** The CLI's package directory (its launcher, its bundle, its sources). */
export const CLI_DIR = join(import.meta.dirname, "..");

export interface SigilRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * `sigil …` as an operator runs it: the launcher in a child process, which runs the compiled
 * bundle on plain node. `env` is its whole environment besides PATH (DATA_DIR and any setting);
 * `input` its stdin.
 */
export function runSigil(args: string[], env: Record<string, string>, input = ""): SigilRun {
  const result = spawnSync(process.execPath, [join(CLI_DIR, "bin", "sigil.mjs"), ...args], {
    encoding: "utf8",
    input,
    env: { PATH: process.env.PATH ?? "", ...env },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/**
 * runSigil without blocking this process: for tests that serve the API from this process while
 * the CLI calls it (remote mode).
 */
export function runSigilAsync(args: string[], env: Record<string, string>, input = ""): Promise<SigilRun> {
  const child = spawn(process.execPath, [join(CLI_DIR, "bin", "sigil.mjs"), ...args], { env: { PATH: process.env.PATH ?? "", ...env } });
  let stdout = "";
  let stderr = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  child.stdin.end(input);
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** Runs `fn` on the installation in `dataDir` as the CLI left it, then lets the CLI have the files again. */
export async function onInstallation<T>(dataDir: string, fn: () => Promise<T>): Promise<T> {
  HybridDatabaseManager.configure({ dataDir });
  try {
    return await fn();
  } finally {
    HybridDatabaseManager.closeInstance();
  }
}
