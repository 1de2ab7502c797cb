import type { TenantUnavailableError } from "@sigil/api";

/** Why a known workspace refuses requests ("suspended", "inactive"). */
export type UnavailableStatus = TenantUnavailableError["tenantStatus"];

const CLIENT_ERROR_CODES = new Set([
  "BAD_REQUEST",
  "PARSE_ERROR",
  "UNAUTHORIZED",
  "PAYMENT_REQUIRED",
  "FORBIDDEN",
  "NOT_FOUND",
  "METHOD_NOT_SUPPORTED",
  "TIMEOUT",
  "CONFLICT",
  "PRECONDITION_FAILED",
  "PAYLOAD_TOO_LARGE",
  "UNSUPPORTED_MEDIA_TYPE",
  "UNPROCESSABLE_CONTENT",
  "PRECONDITION_REQUIRED",
  "TOO_MANY_REQUESTS",
  "CLIENT_CLOSED_REQUEST",
]);

function record(value: unknown): Record<string, unknown> | null {
  return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : null;
}

/**
 * The tRPC error code of an error from either side: a `TRPCError` thrown by a server-side call
 * (`code`) or a `TRPCClientError` from the browser's link (`data.code`, see the errorFormatter).
 */
export function trpcErrorCode(error: unknown): string | null {
  const value = record(error);
  if (!value) return null;
  const data = record(value.data);
  if (typeof data?.code === "string") return data.code;
  return typeof value.code === "string" && error instanceof Error ? value.code : null;
}

/** The workspace status of a "workspace unavailable" error (server: the error's own field; client: `data.tenantStatus`). */
export function tenantStatusOf(error: unknown): UnavailableStatus | null {
  const value = record(error);
  if (!value) return null;
  const status = value.tenantStatus ?? record(value.data)?.tenantStatus;
  return status === "suspended" || status === "inactive" ? status : null;
}

/** A 4xx answer: repeating the request cannot change it. */
export function isClientError(error: unknown): boolean {
  const status = record(record(error)?.data)?.httpStatus;
  if (typeof status === "number") return status >= 400 && status < 500;
  const code = trpcErrorCode(error);
  return code !== null && CLIENT_ERROR_CODES.has(code);
}

/**
 * React Query's retry policy: never for 4xx (a 404 workspace or a 401 must show at once,
 * docs/architecture.md: Stack facts), at most twice more for network and server errors.
 */
export function shouldRetryQuery(failureCount: number, error: unknown): boolean {
  return !isClientError(error) && failureCount < 2;
}

/** The message to show a person: the server writes its messages for people (internal errors are generic). */
export function errorMessage(error: unknown, fallback = "Something went wrong. Try again."): string {
  if (error instanceof Error && error.message.trim() !== "") return error.message;
  return fallback;
}

/**
 * Field errors of a BAD_REQUEST from zod (`error.data.zodError.fieldErrors`), first message per
 * field: `fieldErrorsOf(mutation.error).email`.
 */
export function fieldErrorsOf(error: unknown): Record<string, string | undefined> {
  const fieldErrors = record(record(record(record(error)?.data)?.zodError)?.fieldErrors);
  const result: Record<string, string | undefined> = {};
  for (const [field, messages] of Object.entries(fieldErrors ?? {})) {
    if (Array.isArray(messages) && typeof messages[0] === "string") result[field] = messages[0];
  }
  return result;
}
