import { InvalidSettingError } from "@sigil/db";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readApiConfig } from "./config.ts";
import { readServerSettings } from "./server-settings.ts";

/** One bad value per variable of the README's Settings table, with what the message must say. */
const BAD_VALUES: [name: string, value: string, expected: RegExp][] = [
  ["TENANT_DB_CACHE_SIZE", "many", /whole number ≥ 1/],
  ["DATABASE_URL", "mysql://db/sigil", /file: \(SQLite files, the default\), file:<directory>, or a postgres:\/\/ URL/],
  ["DATABASE_POOL_SIZE", "0", /whole number from 1 to 1000/],
  ["TENANT_POSTGRES_URL", "file:/tmp/x", /a postgres:\/\/ URL such as/],
  ["TENANT_MIGRATE_ON_OPEN", "sometimes", /auto \| strict/],
  ["SQLITE_SYNCHRONOUS", "OFF", /NORMAL \| FULL/],
  ["SIGIL_TENANT_MIGRATIONS_DIR", "/nonexistent/migrations", /folder of tenant migrations holding meta\/_journal.json/],
  ["SQLITE_BUSY_TIMEOUT_MS", "-1", /whole number ≥ 1/],
  ["SIGIL_SECRET_KEY", "too-short", /32 random bytes in base64/],
  ["SIGIL_DEMO", "yes", /0 \(never seed the demo\) or 1/],
  ["SIGIL_ADMIN_EMAIL", "not-an-email", /an email address/],
  ["SIGIL_ADMIN_PASSWORD", "short", /between 10 and 200 characters/],
  ["SIGIL_ADMIN_NAME", "x".repeat(101), /at most 100 characters/],
  ["ROOT_DOMAIN", "https://sigil.example.com", /host name/],
  ["SESSION_TTL_HOURS", "abc", /whole number from 1 to 8784/],
  ["HOST", "local host", /host name or IP address/],
  ["PORT", "70000", /whole number from 1 to 65535/],
  ["WORKER_POLL_INTERVAL_MS", "1s", /whole number ≥ 0/],
  ["WORKER_CONCURRENCY", "0", /whole number from 1 to 256/],
  ["WORKER_MAX_ATTEMPTS", "three", /whole number from 1 to 100/],
  ["WORKER_LEASE_MS", "10", /whole number ≥ 1000/],
  ["WORKER_RECOVERY_INTERVAL_MS", "5", /whole number ≥ 100/],
  ["WORKER_EXECUTION_TIMEOUT_MS", "2.5", /whole number ≥ 100/],
  ["PROVIDER_TIMEOUT_MS", "soon", /whole number ≥ 100/],
  ["USAGE_REFRESH_INTERVAL_SECONDS", "5", /whole number from 10 to 86400/],
  ["BACKUP_INTERVAL", "30s", /a duration of at least 1m/],
  ["BACKUP_RETENTION", "0", /whole number from 1 to 1000/],
  ["RATE_LIMIT_SIGNIN_PER_IP", "-1", /whole number from 0 to 1000000000/],
  ["RATE_LIMIT_SIGNIN_PER_ACCOUNT", "lots", /whole number from 0 to 1000000000/],
  ["RATE_LIMIT_API_PER_KEY", "1.5", /whole number from 0 to 1000000000/],
  ["RATE_LIMIT_API_PER_TENANT", "1e12", /whole number from 0 to 1000000000/],
  ["SIGIL_OUTBOUND_ALLOW", "localhost", /host:port entries/],
  ["TRUST_PROXY", "yes", /off \(default\), on, or the number of proxies/],
  ["MAX_BODY_BYTES", "1k", /whole number from 1024 to 1073741824/],
  ["MAX_UPLOAD_BODY_BYTES", "100", /whole number from 1024 to 1073741824/],
  ["LOG_LEVEL", "loud", /fatal \| error \| warn \| info \| debug \| trace \| silent/],
  ["LOG_FORMAT", "xml", /json or pretty/],
  ["SLOW_QUERY_MS", "fast", /whole number of milliseconds \(0 logs every statement\), or off/],
  ["METRICS_TOKEN", "short", /at least 16 characters/],
  ["METRICS_TENANT_LABELS", "5000", /whole number from 0 to 1000/],
  ["WORKER_STATUS_SOCKET", "worker.sock", /absolute path/],
  ["PASSWORD_RESET_TTL_MINUTES", "2", /whole number from 5 to 1440/],
  ["SMTP_HOST", "smtp host", /host name or IP address/],
  ["SMTP_PORT", "0", /whole number from 1 to 65535/],
  ["SMTP_SECURE", "maybe", /on or off/],
  ["SMTP_USER", "sigil", /only with SMTP_HOST/],
  ["SMTP_PASSWORD", "secret-password", /only with SMTP_HOST/],
  ["SMTP_FROM", "not an address", /sigil@example\.com/],
  ["SIGIL_WORKSPACE_URL", "https://sigil.example.com", /\{slug\}/],
];

const ROOT = join(import.meta.dirname, "..", "..", "..");
/** The variables the README's Settings table names (first column). */
function readmeVariables(): string[] {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  const table = readme.slice(readme.indexOf("## Settings"), readme.indexOf("## Operating"));
  const names = table
    .split("\n")
    .filter((line) => line.startsWith("| `"))
    .flatMap((line) => [...(line.split("|")[1] ?? "").matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map((match) => match[1] ?? ""));
  return [...new Set(names)];
}

function problemOf(env: Record<string, string>): InvalidSettingError {
  try {
    readServerSettings(env);
  } catch (error) {
    if (error instanceof InvalidSettingError) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(env)} to be refused`);
}

describe("the README's Settings table", () => {
  // SIGIL_SECRET_KEY_NEW belongs to secrets:rotate only; DATA_DIR and BACKUP_DIR accept any path.
  const notInServerSettings = new Set(["SIGIL_SECRET_KEY_NEW", "DATA_DIR", "BACKUP_DIR"]);

  it("names only variables that are validated, each with a bad-value test here", () => {
    const tested = new Set(BAD_VALUES.map(([name]) => name));
    expect(readmeVariables().filter((name) => !notInServerSettings.has(name) && !tested.has(name))).toEqual([]);
  });

  it("is passed through by turbo, so pnpm test and turbo runs see every variable", () => {
    const turbo = JSON.parse(readFileSync(join(ROOT, "turbo.json"), "utf8")) as { globalPassThroughEnv: string[] };
    expect(readmeVariables().filter((name) => !turbo.globalPassThroughEnv.includes(name))).toEqual([]);
  });
});

describe("readServerSettings (pnpm start checks these before building)", () => {
  it.each(BAD_VALUES)("refuses %s=%j naming the variable and what it accepts", (name, value, expected) => {
    const error = problemOf({ [name]: value });
    expect(error.message).toMatch(new RegExp(`^${name}`));
    expect(error.message).toMatch(expected);
    expect(error.problems.map((problem) => problem.name)).toEqual([name]);
  });

  it("never repeats a secret's value in the message", () => {
    expect(problemOf({ SIGIL_SECRET_KEY: "my-secret-value" }).message).not.toContain("my-secret-value");
    expect(problemOf({ SIGIL_ADMIN_PASSWORD: "tiny-pw" }).message).not.toContain("tiny-pw");
    expect(problemOf({ METRICS_TOKEN: "tiny-token" }).message).not.toContain("tiny-token");
  });

  it("reports every bad variable at once", () => {
    const error = problemOf({ SESSION_TTL_HOURS: "abc", PORT: "x", SQLITE_SYNCHRONOUS: "OFF" });
    expect(error.problems.map((problem) => problem.name).sort()).toEqual(["PORT", "SESSION_TTL_HOURS", "SQLITE_SYNCHRONOUS"]);
  });

  it("refuses an execution timeout that is not below the lease", () => {
    expect(problemOf({ WORKER_LEASE_MS: "60000", WORKER_EXECUTION_TIMEOUT_MS: "60000" }).message).toMatch(
      /^WORKER_EXECUTION_TIMEOUT_MS.*below WORKER_LEASE_MS/,
    );
  });

  it("has the README's defaults", () => {
    const settings = readServerSettings({ DATA_DIR: "/tmp/sigil-defaults" });
    expect(settings.storage).toMatchObject({
      dataDir: "/tmp/sigil-defaults",
      tenantCacheSize: 256,
      migrateOnOpen: "auto",
      synchronous: "NORMAL",
      busyTimeoutMs: 5000,
      secretKey: undefined,
    });
    expect(settings.api).toMatchObject({ rootDomain: "localhost", sessionTtlMs: 168 * 3_600_000 });
    expect(settings.listen).toEqual({ host: "localhost", port: 3000 });
    expect(settings.worker).toEqual({
      pollIntervalMs: 1000,
      concurrency: 4,
      maxAttempts: 3,
      leaseMs: 180_000,
      recoveryIntervalMs: 30_000,
      executionTimeoutMs: undefined,
      providerTimeoutMs: undefined,
      usageRefreshIntervalSeconds: 300,
    });
    expect(settings.admin).toEqual({ email: undefined, password: undefined, name: "System administrator" });
    expect(settings.demo).toEqual({ mode: "auto", adminFromEnvironment: false });
    expect(settings.observability).toEqual({
      logLevel: "info",
      logFormat: "json",
      slowQueryMs: 200,
      metricsToken: null,
      metricsTenantLabels: 20,
      workerSocket: null,
    });
    expect(readServerSettings({ NODE_ENV: "development" }).observability.logFormat).toBe("pretty");
    expect(readServerSettings({ SLOW_QUERY_MS: "off" }).observability.slowQueryMs).toBeNull();
  });

  it("parses good values (keys in hex or base64, case-insensitive choices, blank = default)", () => {
    const hex = "ab".repeat(32);
    const settings = readServerSettings({
      SIGIL_SECRET_KEY: hex,
      SQLITE_SYNCHRONOUS: "full",
      ROOT_DOMAIN: "Sigil.Example.com",
      SESSION_TTL_HOURS: "2",
      PORT: "",
      SIGIL_DEMO: "0",
    });
    expect(settings.storage.secretKey?.toString("hex")).toBe(hex);
    expect(readServerSettings({ SIGIL_SECRET_KEY: Buffer.alloc(32, 7).toString("base64") }).storage.secretKey).toEqual(Buffer.alloc(32, 7));
    expect(settings.storage.synchronous).toBe("FULL");
    expect(settings.api.rootDomain).toBe("sigil.example.com");
    expect(settings.api.sessionTtlMs).toBe(2 * 3_600_000);
    expect(settings.listen.port).toBe(3000);
    expect(settings.demo.mode).toBe("off");
  });

  it("TENANT_POSTGRES_URL places tenants of a SQLite installation only; beside a PostgreSQL DATABASE_URL it is refused, the URLs never printed", () => {
    const url = "postgres://sigil:secret-password@db.internal:5432/tenants";
    expect(readServerSettings({ TENANT_POSTGRES_URL: url }).storage.tenantPostgresUrl).toBe(url);
    const both = () => readServerSettings({ DATABASE_URL: "postgres://sigil:secret-password@db.internal:5432/sigil", TENANT_POSTGRES_URL: url });
    expect(both).toThrow(/TENANT_POSTGRES_URL \(value hidden\) is not valid: expected unset when DATABASE_URL is PostgreSQL/);
    let message = "";
    try {
      both();
    } catch (error) {
      message = error instanceof Error ? error.message : String(error);
    }
    expect(message).not.toContain("secret-password");
  });

  it("readApiConfig refuses SESSION_TTL_HOURS=abc instead of making every sign-in fail", () => {
    expect(() => readApiConfig({ SESSION_TTL_HOURS: "abc" })).toThrow(/SESSION_TTL_HOURS="abc" is not valid/);
  });
});
