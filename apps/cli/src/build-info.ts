import { spawnSync } from "node:child_process";
import { join } from "node:path";

const repositoryRoot = join(import.meta.dirname, "..", "..", "..");

/**
 * What an archive records as its writer: the checkout's commit when git can tell (the CLI runs
 * from its checkout, README: Operating it), else null. Sigil has no release version yet.
 */
export function sigilBuild(): { version: string | null; commit: string | null } {
  const git = spawnSync("git", ["rev-parse", "HEAD"], { cwd: repositoryRoot, encoding: "utf8" });
  const commit = git.status === 0 ? git.stdout.trim() : "";
  return { version: null, commit: /^[0-9a-f]{40}$/.test(commit) ? commit : null };
}
