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
  QUOTA_EXCEEDED: "FORBIDDEN",
  ARCHIVE_REFUSED: "BAD_REQUEST",
  NOT_ON_THIS_ENGINE: "PRECONDITION_FAILED",
  MOVE_REFUSED: "PRECONDITION_FAILED",
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

/** One input that does not follow its prompt version's input schema: a dataset item's (batch runs) or an execution's. */
export interface InputSchemaFailure {
  /** The dataset item, for a batch run; null for a single execution. */
  itemId: string | null;
  /** The item's number as the dataset page shows it (1 for the first); null for a single execution. */
  itemNumber: number | null;
  version: number;
  issues: { path: string; message: string }[];
}

/** Input refused by an input schema: the message for people, the failures for clients that mark each field or row. */
export class InputSchemaTRPCError extends TRPCError {
  readonly inputErrors: InputSchemaFailure[];
  constructor(message: string, failures: InputSchemaFailure[]) {
    super({ code: "BAD_REQUEST", message });
    this.inputErrors = failures;
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

export const UNREADABLE_REQUEST_MESSAGE = "The request could not be read: it is not valid JSON in the shape the API expects, or it is nested too deeply.";

const RUNTIME_ERRORS: ReadonlySet<unknown> = new Set([Error, TypeError, RangeError, SyntaxError, ReferenceError, EvalError, URIError]);

/**
 * Whether the error's message is a JavaScript exception's own text (tRPC copies the cause's
 * message when it turns a failed JSON parse or superjson decode into a BAD_REQUEST or
 * PARSE_ERROR): "Maximum call stack size exceeded", "Cannot destructure property…". Domain
 * errors are subclasses with messages written for people, so they never match.
 */
export function isRuntimeErrorText(error: TRPCError): boolean {
  const cause = error.cause;
  return cause instanceof Error && RUNTIME_ERRORS.has(cause.constructor) && error.message === cause.message;
}

/** The message a client may see: internal errors and JavaScript exception texts never leak. */
export function publicMessage(error: TRPCError): string {
  if (error.code === "INTERNAL_SERVER_ERROR") return INTERNAL_MESSAGE;
  if (isRuntimeErrorText(error)) return UNREADABLE_REQUEST_MESSAGE;
  return error.message;
}

/**
 * A failure as the API would answer it, for callers outside tRPC (the `sigil` CLI, which calls
 * the same services): the sentence, and for an internal error the underlying cause (an operator
 * at the installation may see it; a client may not).
 */
export function describeFailure(error: unknown): { message: string; cause: unknown } {
  const converted = toTRPCError(error);
  return { message: publicMessage(converted), cause: converted.code === "INTERNAL_SERVER_ERROR" ? (converted.cause ?? error) : undefined };
}
