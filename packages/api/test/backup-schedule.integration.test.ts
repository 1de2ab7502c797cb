import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { listBackupSets, tenantBackupModel, tenantModel } from "@sigil/db";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { readBackupSettings } from "../src/server-settings.ts";
import { startBackupSchedule } from "../src/worker/backup-schedule.ts";
import type { BackupReport } from "../src/services/backups.ts";
import { tenantInput, useTestEnv, type TestEnv } from "./harness.ts";

/** The worker's scheduled backups (worker/backup-schedule.ts) and their settings. */
let env: TestEnv;
let dir: string;

beforeAll(async () => {
  env = await useTestEnv();
  dir = mkdtempSync(join(tmpdir(), "sigil-schedule-"));
  await tenantModel.createTenant(tenantInput("acme"));
});

afterAll(() => {
  env.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

function nextReport(options: { intervalMs: number; retention: number }): { report: Promise<BackupReport>; stop: () => Promise<void> } {
  let stop: () => Promise<void> = () => Promise.resolve();
  const report = new Promise<BackupReport>((resolve, reject) => {
    const schedule = startBackupSchedule({ dir, ...options, onReport: resolve, onError: reject });
    stop = () => schedule.stop();
  });
  return { report, stop: () => stop() };
}

describe("scheduled backups", () => {
  test("take a set at once when the folder has none, record each tenant, and wait the interval after the newest set", async () => {
    const first = nextReport({ intervalMs: 60_000, retention: 2 });
    const report = await first.report;
    await first.stop();
    expect(report.manifest.files.map((file) => file.slug)).toEqual([null, "acme"]);
    const acme = await tenantModel.findBySlug("acme");
    expect((await tenantBackupModel.latestByTenant()).get(acme?.id ?? "")?.latest).toMatchObject({ outcome: "ok", setPath: report.setPath });

    // A restart right after: the newest set is recent, so nothing is taken before the interval.
    const second = nextReport({ intervalMs: 60_000, retention: 2 });
    const early = await Promise.race([second.report.then(() => "ran"), new Promise((resolve) => setTimeout(() => resolve("waited"), 500))]);
    await second.stop();
    expect(early).toBe("waited");
    expect(listBackupSets(dir)).toEqual([report.setPath]);
  });

  test("settings: BACKUP_DIR unset means no schedule; a bad interval or retention names the variable", () => {
    expect(readBackupSettings({})).toEqual({ dir: null, intervalMs: 6 * 3_600_000, retention: 7 });
    expect(readBackupSettings({ BACKUP_DIR: "/srv/backups", BACKUP_INTERVAL: "30m", BACKUP_RETENTION: "3" })).toEqual({
      dir: "/srv/backups",
      intervalMs: 30 * 60_000,
      retention: 3,
    });
    expect(() => readBackupSettings({ BACKUP_INTERVAL: "10s" })).toThrow(/BACKUP_INTERVAL/);
    expect(() => readBackupSettings({ BACKUP_INTERVAL: "often" })).toThrow(/a duration of at least 1m/);
    expect(() => readBackupSettings({ BACKUP_RETENTION: "0" })).toThrow(/BACKUP_RETENTION/);
  });
});
