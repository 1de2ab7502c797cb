import { dirname, resolve } from "node:path";
import { InvalidTenantIdentifierError } from "./errors.ts";

/** docs/architecture.md (Slugs are validated, never cleaned): a slug is validated and rejected, never stripped to fit. */
export const SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,48}[a-z0-9])?$/;
/** Host labels that name parts of Sigil itself, never a tenant. */
export const RESERVED_SLUGS: ReadonlySet<string> = new Set(["www", "api", "admin", "app", "static", "assets", "tenant"]);
const TENANT_ID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

export function slugProblem(value: string): string | null {
  if (value.length === 0) return "it is empty";
  if (value.length > 50) return "it is longer than 50 characters";
  if (!SLUG_PATTERN.test(value)) {
    return "use lower-case letters a-z, digits and inner hyphens only";
  }
  if (RESERVED_SLUGS.has(value)) return "it is reserved";
  return null;
}

export function isValidSlug(value: unknown): value is string {
  return typeof value === "string" && slugProblem(value) === null;
}

export function assertValidSlug(value: string): void {
  const problem = slugProblem(value);
  if (problem !== null) throw new InvalidTenantIdentifierError("slug", value, problem);
}

/** Tenant ids are the registry's lower-case UUIDs; nothing else may become a file name. */
export function isTenantId(value: unknown): value is string {
  return typeof value === "string" && TENANT_ID_PATTERN.test(value);
}

export function assertTenantId(value: string): void {
  if (!isTenantId(value)) throw new InvalidTenantIdentifierError("tenant id", value, "it is not a registry UUID");
}

/**
 * The one place that turns a tenant id into a file name (docs/architecture.md: Tenant identity, 4).
 * The seed built names from the request's subdomain; here only a registry UUID is accepted, and
 * the resolved path must sit directly inside the data directory.
 */
export function tenantDatabasePath(dataDir: string, tenantId: string): string {
  return insideDataDir(dataDir, tenantId, `tenant_${tenantId}.sqlite`);
}

/** Where a tenant's file is built before it is registered; renamed to its final name after. */
export function provisioningDatabasePath(dataDir: string, tenantId: string): string {
  return insideDataDir(dataDir, tenantId, `tenant_${tenantId}.provisioning.sqlite`);
}

/** Matches the names `provisioningDatabasePath` makes and captures the tenant id. */
export const PROVISIONING_FILE = /^tenant_([0-9a-f-]{36})\.provisioning\.sqlite$/;

function insideDataDir(dataDir: string, tenantId: string, name: string): string {
  assertTenantId(tenantId);
  const root = resolve(dataDir);
  const path = resolve(root, name);
  if (dirname(path) !== root) {
    throw new InvalidTenantIdentifierError("tenant id", tenantId, "it resolves outside the data directory");
  }
  return path;
}

export function sharedDatabasePath(dataDir: string): string {
  return resolve(dataDir, "shared.sqlite");
}

/** A database file and the files SQLite keeps beside it. */
export function sqliteCompanionFiles(path: string): string[] {
  return [path, `${path}-wal`, `${path}-shm`, `${path}-journal`];
}
