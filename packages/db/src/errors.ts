/**
 * Domain errors of the storage core. Each has a stable `code` so the API layer can convert them to
 * tRPC errors in one place without parsing messages.
 */
export type SigilDbErrorCode =
  | "NO_TENANT_CONTEXT"
  | "INVALID_TENANT_IDENTIFIER"
  | "TENANT_NOT_FOUND"
  | "TENANT_DATABASE_MISSING"
  | "TENANT_SCHEMA_OUTDATED"
  | "TENANT_SCOPE_VIOLATION"
  | "CONFLICT"
  | "NOT_FOUND"
  | "INVALID_QUERY"
  | "INVALID_SETTING"
  | "SECRET_UNREADABLE"
  | "MIGRATION_FAILED"
  | "PROVISIONING_FAILED"
  | "QUOTA_EXCEEDED"
  | "ARCHIVE_REFUSED"
  | "NOT_ON_THIS_ENGINE"
  | "MOVE_REFUSED";

export class SigilDbError extends Error {
  readonly code: SigilDbErrorCode;
  constructor(code: SigilDbErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** A tenant-scoped operation ran outside `tenantContext.runWithTenant`: we fail closed. */
export class NoTenantContextError extends SigilDbError {
  constructor(operation: string) {
    super("NO_TENANT_CONTEXT", `${operation} needs a tenant context: call it inside tenantContext.runWithTenant(tenantId, …).`);
  }
}

export class InvalidTenantIdentifierError extends SigilDbError {
  constructor(kind: "slug" | "tenant id", value: string, reason: string) {
    super("INVALID_TENANT_IDENTIFIER", `Invalid ${kind} ${JSON.stringify(value.slice(0, 80))}: ${reason}.`);
  }
}

export class TenantNotFoundError extends SigilDbError {
  constructor(identifier: string) {
    super("TENANT_NOT_FOUND", `Tenant ${JSON.stringify(identifier.slice(0, 80))} does not exist.`);
  }
}

/** The registry knows the tenant but its database file (or PostgreSQL schema) is gone: never create an empty one. */
export class TenantDatabaseMissingError extends SigilDbError {
  constructor(tenantId: string, storage: "database file" | "PostgreSQL schema" = "database file") {
    super("TENANT_DATABASE_MISSING", `The ${storage} of tenant ${tenantId} is missing.`);
  }
}

export class TenantSchemaOutdatedError extends SigilDbError {
  readonly tenantId: string;
  readonly version: number;
  readonly latest: number;
  constructor(tenantId: string, version: number, latest: number) {
    super(
      "TENANT_SCHEMA_OUTDATED",
      `Tenant ${tenantId} is on schema version ${version} of ${latest}; run \`pnpm db:migrate\` ` +
        `(TENANT_MIGRATE_ON_OPEN=strict refuses to serve it until then).`,
    );
    this.tenantId = tenantId;
    this.version = version;
    this.latest = latest;
  }
}

/** A caller tried to set or filter by tenant_id itself; only the tenant context may. */
export class TenantScopeViolationError extends SigilDbError {
  constructor(model: string) {
    super("TENANT_SCOPE_VIOLATION", `${model}: tenantId is set from the tenant context and cannot be passed by the caller.`);
  }
}

export class ConflictError extends SigilDbError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("CONFLICT", message, options);
  }
}

export class NotFoundError extends SigilDbError {
  constructor(message: string) {
    super("NOT_FOUND", message);
  }
}

export class InvalidQueryError extends SigilDbError {
  constructor(message: string) {
    super("INVALID_QUERY", message);
  }
}

/** One environment variable that was refused, and what it accepts. */
export interface SettingProblem {
  name: string;
  /** The value as given; undefined for secrets, which are never repeated in a message. */
  value: string | undefined;
  expected: string;
}

/** One or more environment variables are invalid; the message names each with what it accepts. */
export class InvalidSettingError extends SigilDbError {
  readonly problems: readonly SettingProblem[];
  constructor(problems: readonly SettingProblem[]) {
    super("INVALID_SETTING", problems.map(describeSettingProblem).join("\n"));
    this.problems = problems;
  }
}

function describeSettingProblem({ name, value, expected }: SettingProblem): string {
  const given = value === undefined ? `${name} (value hidden)` : `${name}=${JSON.stringify(value)}`;
  return `${given} is not valid: expected ${expected}.`;
}

export class MigrationFailedError extends SigilDbError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("MIGRATION_FAILED", message, options);
  }
}

export class ProvisioningError extends SigilDbError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("PROVISIONING_FAILED", message, options);
  }
}

/** True for SQLite's UNIQUE / PRIMARY KEY constraint failures. */
export function isUniqueViolation(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  // PostgreSQL's unique_violation (23505) covers primary keys too.
  if (code === "SQLITE_CONSTRAINT_UNIQUE" || code === "SQLITE_CONSTRAINT_PRIMARYKEY" || code === "23505") return true;
  return error.cause !== undefined && isUniqueViolation(error.cause);
}

/** True for FOREIGN KEY constraint failures, SQLite's or PostgreSQL's (23503): a row refers to one that is gone. */
export function isForeignKeyViolation(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (code === "SQLITE_CONSTRAINT_FOREIGNKEY" || code === "23503") return true;
  return error.cause !== undefined && isForeignKeyViolation(error.cause);
}

/** A prompt cannot be deleted while deployments use it (the cascade would delete them too). */
export class PromptInUseError extends ConflictError {
  readonly deployments: string[];
  constructor(promptName: string, deploymentNames: string[], more: boolean) {
    const plural = deploymentNames.length > 1 || more;
    super(
      `Prompt "${promptName}" is used by deployment${plural ? "s" : ""} ${deploymentNames.map((name) => `"${name}"`).join(", ")}` +
        `${more ? " and more" : ""}. An admin must delete ${plural ? "them" : "it"} first, or delete the prompt together with ${plural ? "them" : "it"}.`,
    );
    this.deployments = deploymentNames;
  }
}

export type QuotaResource = "users" | "storage" | "executions_per_month" | "tokens_per_month";

/** A plan limit would be exceeded; nothing was written. */
export class QuotaExceededError extends SigilDbError {
  readonly resource: QuotaResource;
  readonly limit: number;
  readonly current: number;
  constructor(resource: QuotaResource, limit: number, current: number, message: string) {
    super("QUOTA_EXCEEDED", message);
    this.resource = resource;
    this.limit = limit;
    this.current = current;
  }
}

/**
 * A secret stored at rest cannot be decrypted: saved under a key this installation does not have,
 * altered, or not in the stored format. The message says which and what to do; never garbage.
 */
export class SecretUnreadableError extends SigilDbError {
  constructor(message: string) {
    super("SECRET_UNREADABLE", message);
  }
}

/**
 * A tenant archive cannot be imported (or written): unknown format, a checksum that does not match,
 * a newer schema, a slug in use… The message says which; nothing was written.
 */
export class TenantArchiveError extends SigilDbError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("ARCHIVE_REFUSED", message, options);
  }
}

/**
 * A feature that works on SQLite's files (file backups, a file's PRAGMAs) was asked of an
 * installation on PostgreSQL: the request is understood, but it does not apply here. The message
 * says so and what to use instead.
 */
export class NotOnThisEngineError extends SigilDbError {
  constructor(message: string) {
    super("NOT_ON_THIS_ENGINE", message);
  }
}

/**
 * A tenant could not be moved between engines (src/archive/move-tenant.ts): it is already there,
 * its copy did not match, or its file was busy. The message says which; the tenant stays where it was.
 */
export class TenantMoveError extends SigilDbError {
  constructor(message: string, options?: { cause?: unknown }) {
    super("MOVE_REFUSED", message, options);
  }
}

/**
 * A SQLite-only path (a file, a prepared statement on shared.sqlite) was reached while DATABASE_URL
 * names PostgreSQL: a defect in Sigil, not in the request, so it stays an internal error.
 */
export class EngineMismatchError extends Error {
  constructor(what: string) {
    super(`${what} was asked for, but this installation stores its data in PostgreSQL (DATABASE_URL); this code path must use the engine's stores.`);
    this.name = "EngineMismatchError";
  }
}
