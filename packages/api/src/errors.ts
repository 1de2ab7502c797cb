import { isForeignKeyViolation, QuotaExceededError, SigilDbError, type SigilDbErrorCode } from "@sigil/db";
import { TRPCError } from "@trpc/server";
import type { TRPC_ERROR_CODE_KEY } from "@trpc/server/rpc";

/** How each storage error reaches a client. Messages of these errors are written for people. */
const DB_ERROR_CODES: Record<SigilDbErrorCode, TRPC_ERROR_CODE_KEY> = {
  NO_TENANT_CONTEXT: "INTERNAL_SERVER_ERROR",
  INVALID_TENANT_IDENTIFIER: "BAD_REQUEST",
  TENANT_NOT_FOUND: "NOT_FOUND",
  TENANT_DATABASE_MISSING: "SERVICE_UNAVAILABLE",
  TENANT_SCHEMA_OUTDATED: "SERVICE_UNAVAILABLE",
  TENANT_SCOPE_VIOLATION: "INTERNAL_SERVER_ERROR",
  CONFLICT: "CONFLICT",
  NOT_FOUND: "NOT_FOUND",
  INVALID_QUERY: "BAD_REQUEST",
  INVALID_SETTING: "INTERNAL_SERVER_ERROR",
  SECRET_UNREADABLE: "INTERNAL_SERVER_ERROR",
  MIGRATION_FAILED: "SERVICE_UNAVAILABLE",
  PROVISIONING_FAILED: "INTERNAL_SERVER_ERROR",
  ASYNC_TRANSACTION: "INTERNAL_SERVER_ERROR",
  QUOTA_EXCEEDED: "FORBIDDEN",
};

/** Quota details sent to clients with a quota error (see errorFormatter). */
export interface QuotaErrorData {
  resource: string;
  limit: number;
  current: number;
}

export class QuotaTRPCError extends TRPCError {
  readonly quota: QuotaErrorData;
  constructor(error: QuotaExceededError) {
    super({ code: "FORBIDDEN", message: error.message, cause: error });
    this.quota = { resource: error.resource, limit: error.limit, current: error.current };
  }
}

/**
 * The one place domain errors become tRPC errors. Anything unknown stays an internal error whose
 * message is never shown to the client (see `publicMessage`).
 */
export function toTRPCError(error: unknown): TRPCError {
  const original = error instanceof TRPCError && error.code === "INTERNAL_SERVER_ERROR" && error.cause ? error.cause : error;
  if (original instanceof TRPCError) return original;
  if (original instanceof QuotaExceededError) return new QuotaTRPCError(original);
  if (original instanceof SigilDbError) {
    const code = DB_ERROR_CODES[original.code];
    return new TRPCError({ code, message: original.message, cause: original });
  }
  if (isForeignKeyViolation(original)) {
    // A write that raced a delete and was not caught closer to its model: still a conflict, not a bug.
    return new TRPCError({ code: "CONFLICT", message: FOREIGN_KEY_MESSAGE, cause: original instanceof Error ? original : undefined });
  }
  return new TRPCError({ code: "INTERNAL_SERVER_ERROR", message: INTERNAL_MESSAGE, cause: original instanceof Error ? original : undefined });
}

export const FOREIGN_KEY_MESSAGE = "This refers to something that was deleted meanwhile; nothing was saved. Reload and try again.";

export const INTERNAL_MESSAGE = "Something went wrong on our side. The error has been logged.";

/** The message a client may see: internal errors never leak theirs. */
export function publicMessage(error: TRPCError): string {
  return error.code === "INTERNAL_SERVER_ERROR" ? INTERNAL_MESSAGE : error.message;
}
