import { TenantUnavailableError } from "@sigil/api";
import { TRPCClientError } from "@trpc/client";
import { TRPCError } from "@trpc/server";
import { describe, expect, test } from "vitest";
import { errorMessage, isClientError, shouldRetryQuery, tenantStatusOf, trpcErrorCode } from "./trpc-errors";

/** What the browser's link produces from the errorFormatter's shape. */
function clientError(code: string, httpStatus: number, extra: Record<string, unknown> = {}) {
  return TRPCClientError.from({ error: { message: `${code} message`, code: -32000, data: { code, httpStatus, ...extra } } });
}

describe("server-side errors (TRPCError from a direct call)", () => {
  test("code and tenant status", () => {
    expect(trpcErrorCode(new TRPCError({ code: "NOT_FOUND" }))).toBe("NOT_FOUND");
    const suspended = new TenantUnavailableError("acme", "suspended");
    expect(trpcErrorCode(suspended)).toBe("FORBIDDEN");
    expect(tenantStatusOf(suspended)).toBe("suspended");
    expect(tenantStatusOf(new TRPCError({ code: "FORBIDDEN" }))).toBeNull();
    expect(isClientError(new TRPCError({ code: "UNAUTHORIZED" }))).toBe(true);
    expect(isClientError(new TRPCError({ code: "INTERNAL_SERVER_ERROR" }))).toBe(false);
  });
});

describe("client-side errors (TRPCClientError)", () => {
  test("code, status and tenant status come from data", () => {
    const error = clientError("FORBIDDEN", 403, { tenantStatus: "inactive" });
    expect(trpcErrorCode(error)).toBe("FORBIDDEN");
    expect(tenantStatusOf(error)).toBe("inactive");
    expect(errorMessage(error)).toBe("FORBIDDEN message");
  });
  test("no retries for 4xx, a few for 5xx and network errors", () => {
    expect(shouldRetryQuery(0, clientError("NOT_FOUND", 404))).toBe(false);
    expect(shouldRetryQuery(0, clientError("UNAUTHORIZED", 401))).toBe(false);
    expect(shouldRetryQuery(0, clientError("INTERNAL_SERVER_ERROR", 500))).toBe(true);
    expect(shouldRetryQuery(0, new TypeError("Failed to fetch"))).toBe(true);
    expect(shouldRetryQuery(2, new TypeError("Failed to fetch"))).toBe(false);
  });
  test("unrelated values are not tRPC errors", () => {
    expect(trpcErrorCode("NOT_FOUND")).toBeNull();
    expect(trpcErrorCode(null)).toBeNull();
    expect(tenantStatusOf({ data: { tenantStatus: "active" } })).toBeNull();
    expect(errorMessage(undefined)).toBe("Something went wrong. Try again.");
  });
});

test("fieldErrorsOf reads zod's field errors from the error shape", async () => {
  const { fieldErrorsOf } = await import("./trpc-errors");
  const error = clientError("BAD_REQUEST", 400, { zodError: { formErrors: [], fieldErrors: { email: ["Enter a valid email address."], name: [] } } });
  expect(fieldErrorsOf(error)).toEqual({ email: "Enter a valid email address." });
  expect(fieldErrorsOf(new Error("x"))).toEqual({});
});
