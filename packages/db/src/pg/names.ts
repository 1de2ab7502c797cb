import { assertTenantId } from "../identifiers.ts";

/**
 * The only names the PostgreSQL layer puts into SQL text. Statement parameters cannot name a schema,
 * a role or a table, so these are checked against narrow patterns instead and then double-quoted;
 * nothing a request sends ever reaches SQL text (docs/architecture.md: PostgreSQL connections).
 */
export class InvalidPgIdentifierError extends Error {
  constructor(kind: string, value: string, expected: string) {
    super(`${JSON.stringify(value)} is not a valid ${kind}: expected ${expected}.`);
    this.name = "InvalidPgIdentifierError";
  }
}

/** System and shared tables live here, each with `tenant_id` (docs/architecture.md: PostgreSQL connections). */
export const SHARED_SCHEMA = "sigil_shared";

const TENANT_SCHEMA = /^t_[0-9a-f]{32}$/;
/** Lower-case, unquoted-safe names well under PostgreSQL's 63-byte limit. */
const PLAIN_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** The one place that turns a registry UUID into a tenant schema name: `t_<uuid without dashes>`. */
export function tenantSchemaName(tenantId: string): string {
  assertTenantId(tenantId);
  return `t_${tenantId.replaceAll("-", "")}`;
}

export function isTenantSchemaName(value: string): boolean {
  return TENANT_SCHEMA.test(value);
}

/** A role, schema or table name written by Sigil itself; refused unless it is a plain lower-case name. */
export function assertPlainName(kind: string, value: string): void {
  if (!PLAIN_NAME.test(value)) throw new InvalidPgIdentifierError(kind, value, "lower-case letters, digits and _ (at most 63, not starting with a digit)");
}

/** `"name"` after `assertPlainName`: quoting keeps even a reserved word (`user`) a plain identifier. */
export function quoteName(kind: string, value: string): string {
  assertPlainName(kind, value);
  return `"${value}"`;
}
