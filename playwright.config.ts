import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defineConfig } from "@playwright/test";

/**
 * Browser tests in Debian's Chromium (CHROMIUM_PATH, default /usr/bin/chromium; Playwright's own
 * browsers cannot be downloaded here). The web server is the production build, started by
 * `pnpm start`'s launcher on a fresh data directory with the demo tenants, on E2E_PORT.
 * Chromium resolves *.localhost to 127.0.0.1 by itself, so each project is a kind of host.
 * The `security` project (`pnpm test:security`) probes the same server with raw HTTP: to add a
 * probe, drop an `*.e2e.ts` file into e2e/security/ (see e2e/security/README.md).
 * The `postgres` project walks the demo on a second server, on E2E_PORT + 1, whose data is in a
 * private PostgreSQL (packages/db/scripts/pg-server.ts, as `pnpm pg:start` runs it); it serves
 * the build the first server made, so it is started after it (Playwright starts them in order).
 */
export const E2E_PORT = Number(process.env.E2E_PORT ?? 3210);
const POSTGRES_PORT = E2E_PORT + 1;
// Created once by the main process; worker processes inherit it through the environment.
process.env.E2E_DATA_DIR ??= mkdtempSync(join(tmpdir(), "sigil-e2e-"));

const chromium = { launchOptions: { executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium" } };

/**
 * Whether this run may include the `postgres` project, from the command line: not when
 * `--project` names others only, nor when the spec files given are all outside e2e/postgres.
 * Its server (a PostgreSQL cluster, migrations, the demo) is then not started at all.
 */
function mayRunPostgresProject(args: readonly string[]): boolean {
  const projects = args.flatMap((arg, index) =>
    arg.startsWith("--project=") ? [arg.slice("--project=".length)] : arg === "--project" ? [args[index + 1] ?? ""] : [],
  );
  if (projects.length > 0 && !projects.includes("postgres")) return false;
  const specs = args.filter((arg) => arg.includes(".e2e") || arg.startsWith("e2e/"));
  return specs.length === 0 || specs.some((spec) => spec.includes("postgres"));
}

// The fake providers and webhook receivers scenarios start (e2e/support/env.ts FAKE_PORTS).
const OUTBOUND_ALLOW = [11, 12, 13, 14, 15, 16].map((offset) => `127.0.0.1:${E2E_PORT + offset}`).join(",");

export default defineConfig({
  testDir: "e2e",
  testMatch: "**/*.e2e.ts",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [["list"], ["html", { open: "never", outputFolder: "playwright-report" }]],
  outputDir: "test-results",
  use: {
    ...chromium,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    viewport: { width: 1280, height: 800 },
  },
  projects: [
    { name: "hosts", testDir: "e2e/hosts", use: { ...chromium, baseURL: `http://localhost:${E2E_PORT}` } },
    { name: "workspace", testDir: "e2e/workspace", use: { ...chromium, baseURL: `http://acme.localhost:${E2E_PORT}` } },
    { name: "admin", testDir: "e2e/admin", use: { ...chromium, baseURL: `http://admin.localhost:${E2E_PORT}` } },
    // Checks that visit every page of the site (e2e/support/site-pages.ts) on every host.
    { name: "site", testDir: "e2e/site", use: { ...chromium } },
    { name: "security", testDir: "e2e/security", use: { baseURL: `http://localhost:${E2E_PORT}` } },
    { name: "postgres", testDir: "e2e/postgres", use: { ...chromium, baseURL: `http://acme.localhost:${POSTGRES_PORT}` } },
  ],
  webServer: [
    {
      command: "node scripts/start.mjs",
      url: `http://localhost:${E2E_PORT}/`,
      timeout: 240_000,
      reuseExistingServer: false,
      // The launcher forwards SIGTERM to the web app and the worker (its children run in process
      // groups of their own, which a SIGKILL of the launcher would leave behind).
      gracefulShutdown: { signal: "SIGTERM", timeout: 10_000 },
      stderr: "pipe",
      stdout: "pipe",
      // The scenarios sign in with the demo logins: seed them whatever the environment says.
      // RATE_LIMIT_SIGNIN_PER_ACCOUNT 40 (default 20): the lockout probes send 20 wrong passwords
      // and then the right one, and the audit probe 30 failures, to one account within a minute;
      // at 20 the rate limit's 429 would answer first and hide whether the lock holds. The per-IP
      // limit keeps its default: the probes sign in from loopback addresses of their own
      // (e2e/security/support.ts ownAddress), and one proves that limit.
      env: {
        DATA_DIR: process.env.E2E_DATA_DIR,
        // Backups taken by the scenarios (and the worker's schedule) stay beside this run's data.
        BACKUP_DIR: `${process.env.E2E_DATA_DIR}-backups`,
        PORT: String(E2E_PORT),
        WORKER_POLL_INTERVAL_MS: "200",
        SIGIL_DEMO: "1",
        RATE_LIMIT_SIGNIN_PER_ACCOUNT: "40",
        SIGIL_OUTBOUND_ALLOW: OUTBOUND_ALLOW,
      },
    },
    ...(mayRunPostgresProject(process.argv.slice(2))
      ? [
          {
            // PostgreSQL 15 from Debian's package (.ci/run installs it); removed when the launcher exits.
            command: "node --import tsx packages/db/scripts/pg-server.ts -- node scripts/start.mjs --skip-build",
            url: `http://localhost:${POSTGRES_PORT}/`,
            timeout: 240_000,
            reuseExistingServer: false,
            gracefulShutdown: { signal: "SIGTERM" as const, timeout: 10_000 },
            stderr: "pipe" as const,
            stdout: "pipe" as const,
            env: {
              DATA_DIR: `${process.env.E2E_DATA_DIR}-postgres`,
              PORT: String(POSTGRES_PORT),
              WORKER_POLL_INTERVAL_MS: "200",
              SIGIL_DEMO: "1",
              SIGIL_OUTBOUND_ALLOW: OUTBOUND_ALLOW,
            },
          },
        ]
      : []),
  ],
});
