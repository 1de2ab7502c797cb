import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, expect, test } from "vitest";
import { askWorker, startStatusSocket, type StatusSocket } from "./status-socket.ts";

let dir: string;
const open: StatusSocket[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "sigil-status-"));
});
afterEach(async () => {
  for (const socket of open.splice(0)) await socket.close();
  rmSync(dir, { recursive: true, force: true });
});

const answers = (name: string) => ({ status: () => JSON.stringify({ name }), metrics: () => Promise.resolve(`sigil_worker_up_test{name="${name}"} 1\n`) });

test("answers status and metrics, refuses anything else, and removes its file when closed", async () => {
  const path = join(dir, "worker.sock");
  const socket = await startStatusSocket(path, answers("first"));
  expect(JSON.parse(await askWorker(path, "status", 1_000))).toEqual({ name: "first" });
  expect(await askWorker(path, "metrics", 1_000)).toBe('sigil_worker_up_test{name="first"} 1\n');
  await socket.close();
  expect(existsSync(path)).toBe(false);
  await expect(askWorker(path, "status", 1_000)).rejects.toThrow("no worker is listening on the status socket");
});

test("a second worker on the same path leaves the live one alone; a stale file left by a dead one is replaced", async () => {
  const path = join(dir, "worker.sock");
  open.push(await startStatusSocket(path, answers("first")));
  await expect(startStatusSocket(path, answers("second"))).rejects.toThrow(/Another worker already answers/);
  expect(JSON.parse(await askWorker(path, "status", 1_000))).toEqual({ name: "first" });

  const stale = join(dir, "stale.sock");
  writeFileSync(stale, "");
  open.push(await startStatusSocket(stale, answers("replacement")));
  expect(JSON.parse(await askWorker(stale, "status", 1_000))).toEqual({ name: "replacement" });
});
