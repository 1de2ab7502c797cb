import { mkdtempSync, readdirSync, readlinkSync, rmSync } from "node:fs";
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
import { TENANT_FEATURES } from "@sigil/validators";
import { readApiConfig } from "../src/config.ts";
import { callInProcess, cookieFrom, type InProcessCallOptions, type InProcessCallResult } from "../src/http/in-process-call.ts";

export const TEST_PASSWORD = "correct-horse-battery";
/** scrypt is deliberately slow: hash the test password once for every test user. */
let passwordHash: Promise<string> | undefined;
const testPasswordHash = () => (passwordHash ??= hashPassword(TEST_PASSWORD));

export type CallOptions = InProcessCallOptions;
export type CallResult<T = unknown> = InProcessCallResult<T>;
export { cookieFrom };

/** Calls one procedure through the real fetch handler, the way an HTTP client would. */
export async function call<T = unknown>(type: "query" | "mutation", path: string, input: unknown, options: CallOptions = {}): Promise<CallResult<T>> {
  // Settings are read per call (the server reads them once), so a test may change process.env.
  return callInProcess<T>(type, path, input, options, readApiConfig(process.env));
}

export interface TestEnv {
  dataDir: string;
  manager: HybridDatabaseManager;
  cleanup: () => void;
}

export async function useTestEnv(): Promise<TestEnv> {
  const dataDir = mkdtempSync(join(tmpdir(), "sigil-api-test-"));
  const manager = HybridDatabaseManager.configure({ dataDir, tenantCacheSize: 16 });
  await manager.runSharedMigrations();
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
    settings: { features: [...TENANT_FEATURES], limits: { users: 50, storage: 100, executions_per_month: 1000 } },
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

/** The tenant files of `dataDir` this process holds descriptors on (Linux: /proc/self/fd). */
export function openTenantFileDescriptors(dataDir: string): string[] {
  const open: string[] = [];
  for (const fd of readdirSync("/proc/self/fd")) {
    try {
      const target = readlinkSync(`/proc/self/fd/${fd}`);
      if (target.startsWith(`${dataDir}/tenant_`)) open.push(target);
    } catch {
      // the descriptor of the readdir itself is gone by now
    }
  }
  return open;
}
