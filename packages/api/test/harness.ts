import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  hashPassword,
  HybridDatabaseManager,
  tenantContext,
  tenantModel,
  userModel,
  type NewTenant,
  type TenantRow,
  type UserRole,
  type UserRow,
} from "@sigil/db";
import superjson from "superjson";
import { readApiConfig } from "../src/config.ts";
import { handleTrpcRequest } from "../src/http/handler.ts";

export const TEST_PASSWORD = "correct-horse-battery";
/** scrypt is deliberately slow: hash the test password once for every test user. */
let passwordHash: Promise<string> | undefined;
const testPasswordHash = () => (passwordHash ??= hashPassword(TEST_PASSWORD));

export interface CallOptions {
  /** Host header; default `<tenant>.localhost` when `tenant` is given, else `localhost`. */
  host?: string;
  tenant?: string;
  /** Prefix for the path-prefix mode, e.g. `/tenant/acme`. */
  pathPrefix?: string;
  headers?: Record<string, string>;
  cookie?: string;
  apiKey?: string;
  /** Defaults to the request's own origin for mutations with a cookie, like a browser. */
  origin?: string | null;
}

export interface CallResult<T = unknown> {
  status: number;
  data: T | undefined;
  /** `code` is the JSON-RPC number; the tRPC code name is `data.code`. */
  error: { message: string; code: number; data: Record<string, unknown> } | undefined;
  setCookies: string[];
  headers: Headers;
}

/** Calls one procedure through the real fetch handler, the way an HTTP client would. */
export async function call<T = unknown>(type: "query" | "mutation", path: string, input: unknown, options: CallOptions = {}): Promise<CallResult<T>> {
  const host = options.host ?? (options.tenant ? `${options.tenant}.localhost` : "localhost");
  const headers = new Headers({ host, ...options.headers });
  if (options.cookie) headers.set("cookie", options.cookie);
  if (options.apiKey) headers.set("authorization", `Bearer ${options.apiKey}`);
  const origin = options.origin === undefined ? (type === "mutation" && options.cookie ? `http://${host}` : null) : options.origin;
  if (origin !== null) headers.set("origin", origin);
  const serialized = input === undefined ? undefined : JSON.stringify(superjson.serialize(input));
  let url = `http://${host}${options.pathPrefix ?? ""}/api/trpc/${path}`;
  let body: string | undefined;
  if (type === "query") {
    if (serialized !== undefined) url += `?input=${encodeURIComponent(serialized)}`;
  } else {
    body = serialized ?? "{}";
    headers.set("content-type", "application/json");
  }
  // Settings are read per call (the server reads them once), so a test may change process.env.
  const config = readApiConfig(process.env);
  const response = await handleTrpcRequest(new Request(url, { method: type === "query" ? "GET" : "POST", headers, body }), { config });
  const text = await response.text();
  const setCookies = response.headers.getSetCookie();
  let json: { result?: { data: unknown }; error?: unknown };
  try {
    json = JSON.parse(text) as typeof json;
  } catch {
    // Not a tRPC response (e.g. a path outside /api/trpc): report the body as the message.
    return { status: response.status, data: undefined, error: { message: text, code: 0, data: { code: "NOT_TRPC" } }, setCookies, headers: response.headers };
  }
  if (json.error !== undefined) {
    const error = superjson.deserialize<CallResult["error"]>(json.error as Parameters<typeof superjson.deserialize>[0]);
    return { status: response.status, data: undefined, error, setCookies, headers: response.headers };
  }
  const data = superjson.deserialize<T>(json.result?.data as Parameters<typeof superjson.deserialize>[0]);
  return { status: response.status, data, error: undefined, setCookies, headers: response.headers };
}

export function cookieFrom(setCookies: string[], name = "sigil_session"): string {
  const found = setCookies.find((c) => c.startsWith(`${name}=`));
  if (!found) throw new Error(`no ${name} cookie in ${JSON.stringify(setCookies)}`);
  return found.split(";")[0] ?? "";
}

export interface TestEnv {
  dataDir: string;
  manager: HybridDatabaseManager;
  cleanup: () => void;
}

export function useTestEnv(): TestEnv {
  const dataDir = mkdtempSync(join(tmpdir(), "sigil-api-test-"));
  const manager = HybridDatabaseManager.configure({ dataDir, tenantCacheSize: 16 });
  manager.runSharedMigrations();
  return {
    dataDir,
    manager,
    cleanup: () => {
      manager.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export function tenantInput(slug: string, overrides: Partial<NewTenant> = {}): NewTenant {
  return {
    name: `Tenant ${slug}`,
    slug,
    plan: "pro",
    settings: { features: [], limits: { users: 50, storage: 100, executions_per_month: 1000 } },
    ...overrides,
  };
}

/** Creates a tenant with an active user per role (`admin@`, `user@`, `viewer@<slug>.test`). */
export async function createTenantWithUsers(
  slug: string,
  overrides: Partial<NewTenant> = {},
): Promise<{ tenant: TenantRow; users: Record<UserRole, UserRow> }> {
  const tenant = await tenantModel.createTenant(tenantInput(slug, overrides));
  const hash = await testPasswordHash();
  const users = await tenantContext.runWithTenant(tenant.id, async () => {
    const make = (role: UserRole) =>
      userModel.create({ email: `${role}@${slug}.test`, name: `${role} of ${slug}`, role, status: "active", passwordHash: hash });
    return { admin: await make("admin"), user: await make("user"), viewer: await make("viewer") };
  });
  return { tenant, users };
}

/** Signs in through auth.login and returns the session cookie. */
export async function login(slug: string, email: string, password = TEST_PASSWORD): Promise<string> {
  const result = await call("mutation", "auth.login", { email, password }, { tenant: slug });
  if (result.error) throw new Error(`login failed: ${result.error.message}`);
  return cookieFrom(result.setCookies);
}
