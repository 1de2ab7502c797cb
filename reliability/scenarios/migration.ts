/**
 * Migration under load: while the load runs, `pnpm db:migrate` applies a real new tenant
 * migration (lib/migration-fixture.ts, pointed at by SIGIL_TENANT_MIGRATIONS_DIR) to every
 * tenant; the running servers keep their code (a file ahead of the code's schema is served, one
 * behind never is: docs/architecture.md, Migrations). Then the installation is restarted on the
 * new migrations folder ("the deploy") and serves on. Checked: no 5xx, no read that misses an
 * acknowledged write (a half-migrated table would), every tenant at the new version with a
 * backfill that is consistent with its own count (one transaction), and every acknowledged write
 * there. Measured per tenant: its unavailable window (first slow or failing request to the end
 * of the last one, while the migration ran) and the migration's own time (its write lock).
 */
import { spawn } from "node:child_process";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { inspectTenantFile } from "@sigil/db";
import { ROOT } from "../lib/installation.ts";
import { backfillConsistent, writeMigrationFixture } from "../lib/migration-fixture.ts";
import { loadFigures, ms, percentile, table } from "../lib/report.ts";
import { verifyAll } from "../lib/verify.ts";
import { Workload, type RequestRecord } from "../lib/workload.ts";
import { problemsOfVerification, type ScenarioContext, type ScenarioResult } from "./context.ts";

interface CliRun {
  code: number | null;
  output: string;
  startedAt: number;
  endedAt: number;
  /** Per tenant slug: "applied" with the migration's time, or "up to date". */
  tenants: Map<string, { applied: boolean; ms: number }>;
}

function runMigrateCli(dataDir: string, folder: string): Promise<CliRun> {
  const startedAt = performance.now();
  return new Promise((resolve) => {
    const child = spawn("pnpm", ["--filter", "@sigil/db", "db:migrate"], {
      cwd: ROOT,
      env: { ...process.env, DATA_DIR: dataDir, SIGIL_TENANT_MIGRATIONS_DIR: folder },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("exit", (code) => {
      const tenants = new Map<string, { applied: boolean; ms: number }>();
      // "[3/50] rel-07 v3 → v4 (12.3 ms)" or "[4/50] rel-08 up to date (0.4 ms)" (packages/db/scripts/migrate.ts)
      for (const match of output.matchAll(/^\[\d+\/\d+\] (\S+) (.+) \(([\d.]+) ms\)$/gm)) {
        tenants.set(match[1] ?? "", { applied: (match[2] ?? "").includes("→"), ms: Number(match[3]) });
      }
      resolve({ code, output, startedAt, endedAt: performance.now(), tenants });
    });
  });
}

/** Per tenant: from the first slow or failing request to the end of the last one, during [from, to]. */
function unavailableWindows(records: readonly RequestRecord[], from: number, to: number, slowMs: number): Map<string, { ms: number; abnormal: number }> {
  const windows = new Map<string, { first: number; last: number; abnormal: number }>();
  for (const r of records) {
    if (r.endedAt < from || r.startedAt > to) continue;
    const abnormal = r.failure !== undefined || typeof r.status !== "number" || r.endedAt - r.startedAt > slowMs;
    if (!abnormal) continue;
    const w = windows.get(r.tenant) ?? { first: r.startedAt, last: r.endedAt, abnormal: 0 };
    w.first = Math.min(w.first, r.startedAt);
    w.last = Math.max(w.last, r.endedAt);
    w.abnormal += 1;
    windows.set(r.tenant, w);
  }
  return new Map([...windows].map(([tenant, w]) => [tenant, { ms: w.last - w.first, abnormal: w.abnormal }]));
}

export async function migrationScenario(ctx: ScenarioContext, phaseMs: number): Promise<ScenarioResult> {
  const { folder, latestVersion } = writeMigrationFixture(join(ctx.resultsDir, "tenant-migrations"));
  const problems: string[] = [];
  // No deletes: the backfill check compares the migration's count with the rows it filled.
  const mix = { "prompt.delete": 0 };
  const workload = new Workload({ phase: "migration", tenants: ctx.tenants, ledger: ctx.ledger, concurrency: ctx.concurrency, random: ctx.random, mix });
  workload.start();
  await sleep(phaseMs);
  const cli = await runMigrateCli(ctx.dataDir, folder);
  await sleep(phaseMs);
  const records = await workload.stop();
  if (cli.code !== 0) problems.push(`pnpm db:migrate exited ${String(cli.code)}:\n${cli.output.slice(-2_000)}`);

  const baseline = records.filter((r) => r.endedAt < cli.startedAt && typeof r.status === "number").map((r) => r.endedAt - r.startedAt);
  baseline.sort((a, b) => a - b);
  const slowMs = Math.max(100, 3 * percentile(baseline, 99));
  const windows = unavailableWindows(records, cli.startedAt, cli.endedAt, slowMs);
  const during = records.filter((r) => r.endedAt >= cli.startedAt && r.startedAt <= cli.endedAt);
  const figures = loadFigures(records, phaseMs * 2 + (cli.endedAt - cli.startedAt));

  // Every tenant at the new version, its backfill consistent with its own count.
  let atLatest = 0;
  for (const tenant of ctx.tenants) {
    const seen = inspectTenantFile(ctx.dataDir, tenant.id, { tables: ["__drizzle_migrations", "prompts"] });
    const version = seen.rows.__drizzle_migrations?.length ?? 0;
    if (version !== latestVersion || !seen.tables.includes("reliability_backfill")) {
      problems.push(`${tenant.slug} is at schema v${version}, expected v${latestVersion} with the backfill table`);
      continue;
    }
    atLatest += 1;
    const backfill = inspectTenantFile(ctx.dataDir, tenant.id, { tables: ["reliability_backfill"] }).rows.reliability_backfill ?? [];
    const inconsistent = backfillConsistent(seen.rows.prompts ?? [], backfill);
    if (inconsistent) problems.push(`${tenant.slug}: ${inconsistent}`);
  }

  // The deploy: the installation restarted on the new migrations folder serves on.
  await ctx.installation.stop();
  const restart = await ctx.installation.start({ SIGIL_TENANT_MIGRATIONS_DIR: folder });
  const after = new Workload({ phase: "after-deploy", tenants: ctx.tenants, ledger: ctx.ledger, concurrency: ctx.concurrency, random: ctx.random, mix });
  const afterRecords = await after.runFor(phaseMs);
  const afterFigures = loadFigures(afterRecords, phaseMs);
  const verification = await verifyAll(ctx.storage, ctx.tenants, ctx.ledger, { integrity: true, noRunning: false });

  const migrationMs = [...cli.tenants.values()]
    .filter((t) => t.applied)
    .map((t) => t.ms)
    .sort((a, b) => a - b);
  const windowMs = ctx.tenants.map((t) => windows.get(t.slug)?.ms ?? 0).sort((a, b) => a - b);
  const worst = [...windows].sort((a, b) => b[1].ms - a[1].ms).slice(0, 5);
  return {
    name: "migration under load",
    figures: [
      [
        "migration",
        `+1 tenant migration (ALTER + backfill + new table) on ${cli.tenants.size} tenants by pnpm db:migrate in ${ms(cli.endedAt - cli.startedAt)} (incl. pnpm start-up)`,
      ],
      ["tenants at the new version, backfill consistent", `${atLatest}/${ctx.tenants.length}`],
      ["migration time per tenant (write lock)", `p50 ${ms(percentile(migrationMs, 50))}, max ${ms(migrationMs.at(-1) ?? Number.NaN)}`],
      [
        "requests during the migration",
        `${during.length}, 5xx ${during.filter((r) => typeof r.status === "number" && r.status >= 500).length}, failures ${during.filter((r) => r.failure).length}`,
      ],
      ["slow threshold", `${ms(slowMs)} (3 × baseline p99, at least 100 ms)`],
      [
        "unavailable window per tenant",
        `${windows.size} tenants with one; p50 ${ms(percentile(windowMs, 50))}, p99 ${ms(percentile(windowMs, 99))}, max ${ms(windowMs.at(-1) ?? 0)}`,
      ],
      ["worst windows", worst.map(([slug, w]) => `${slug} ${ms(w.ms)} (${w.abnormal} slow/failed)`).join(", ") || "none"],
      ["whole phase", `p50 ${ms(figures.p50Ms)}, p99 ${ms(figures.p99Ms)}, 5xx ${figures.status5xx}`],
      [
        "after the deploy (restart on the new folder)",
        `start ${ms(restart.ms)}, ${afterFigures.requests} requests, p99 ${ms(afterFigures.p99Ms)}, 5xx ${afterFigures.status5xx}`,
      ],
      [
        "lost writes / cross-tenant rows / integrity",
        `${verification.findings.filter((f) => f.kind === "lost-write").length} / ${verification.findings.filter((f) => f.kind === "cross-tenant-row").length} / ${verification.findings.filter((f) => f.kind === "integrity").length} problems`,
      ],
    ],
    problems: [
      ...problems,
      ...figures.failureSamples.map((s) => `request failed: ${s}`),
      ...afterFigures.failureSamples.map((s) => `request failed after the deploy: ${s}`),
      ...problemsOfVerification(verification.findings),
    ],
    details: {
      cliMs: cli.endedAt - cli.startedAt,
      perTenant: table(
        ["tenant", "migrated by CLI", "migration ms", "window ms", "slow/failed"],
        ctx.tenants.map((t) => {
          const m = cli.tenants.get(t.slug);
          const w = windows.get(t.slug);
          return [t.slug, m ? (m.applied ? "yes" : "up to date") : "?", m ? m.ms.toFixed(1) : "–", (w?.ms ?? 0).toFixed(0), String(w?.abnormal ?? 0)];
        }),
      ),
      figures,
      afterFigures,
    },
  };
}
