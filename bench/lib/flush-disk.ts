import { execFileSync } from "node:child_process";

/**
 * Writes dirty pages to disk (`sync`) before a timed step. Creating or resetting thousands of
 * fixture files leaves a gigabyte of writeback pending; measured while it drains, every file
 * create and fsync in the step waits behind it (ext4 journal), and we would time our own setup.
 */
export function flushDisk(): void {
  try {
    execFileSync("sync", { stdio: "ignore" });
  } catch {
    // No `sync` binary (e.g. Windows): the step then runs with writeback pending; still valid, noisier.
  }
}
