import superjson from "superjson";
import { describe, expect, test } from "vitest";
import { fieldErrorsOf, errorMessage, trpcErrorCode } from "@/lib/trpc-errors";
import { formatBytes, formatMegabytes, storageText } from "./format";
import { mimeTypeOf, parseTags, parseTrpcResponse } from "./upload";

describe("parseTrpcResponse (a non-batched tRPC answer, superjson)", () => {
  test("result data is deserialized (Dates stay Dates)", () => {
    const createdAt = new Date("2025-01-02T03:04:05Z");
    const body = JSON.stringify({ result: { data: superjson.serialize({ id: "f1", createdAt }) } });
    const outcome = parseTrpcResponse<{ id: string; createdAt: Date }>(200, body);
    expect(outcome.ok).toBe(true);
    if (outcome.ok) {
      expect(outcome.data.id).toBe("f1");
      expect(outcome.data.createdAt).toBeInstanceOf(Date);
    }
  });

  test("a quota error keeps the server's message and data", () => {
    const shape = {
      message: "Storing 2 MB would exceed the plan's 1 MB of storage (0 B used).",
      code: -32003,
      data: {
        code: "FORBIDDEN",
        httpStatus: 403,
        path: "files.upload",
        zodError: null,
        quota: { resource: "storage", limit: 1048576, current: 0 },
        tenantStatus: null,
      },
    };
    const outcome = parseTrpcResponse(403, JSON.stringify({ error: superjson.serialize(shape) }));
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) {
      expect(errorMessage(outcome.error)).toBe(shape.message);
      expect(trpcErrorCode(outcome.error)).toBe("FORBIDDEN");
      expect(outcome.error.data?.quota?.limit).toBe(1048576);
    }
  });

  test("zod field errors reach fieldErrorsOf", () => {
    const shape = {
      message: "Invalid input: name: Too long",
      code: -32600,
      data: {
        code: "BAD_REQUEST",
        httpStatus: 400,
        path: "files.upload",
        zodError: { formErrors: [], fieldErrors: { name: ["Too long"] } },
        quota: null,
        tenantStatus: null,
      },
    };
    const outcome = parseTrpcResponse(400, JSON.stringify({ error: superjson.serialize(shape) }));
    expect(outcome.ok ? null : fieldErrorsOf(outcome.error).name).toBe("Too long");
  });

  test("a body that is not JSON becomes a readable error", () => {
    const outcome = parseTrpcResponse(413, "Request Entity Too Large");
    expect(outcome.ok).toBe(false);
    if (!outcome.ok) {
      expect(trpcErrorCode(outcome.error)).toBe("PAYLOAD_TOO_LARGE");
      expect(errorMessage(outcome.error)).toMatch(/too large/);
    }
    const failed = parseTrpcResponse(502, "<html>Bad gateway</html>");
    expect(failed.ok ? null : trpcErrorCode(failed.error)).toBe("INTERNAL_SERVER_ERROR");
  });
});

describe("upload helpers", () => {
  test("MIME types the API accepts, or octet-stream", () => {
    expect(mimeTypeOf({ type: "text/plain" })).toBe("text/plain");
    expect(mimeTypeOf({ type: "" })).toBe("application/octet-stream");
    expect(mimeTypeOf({ type: "text/plain; charset=utf-8" })).toBe("application/octet-stream");
  });

  test("tags: comma-separated, trimmed, unique", () => {
    expect(parseTags(" a, b ,, a,c ")).toEqual(["a", "b", "c"]);
    expect(parseTags("")).toEqual([]);
  });
});

describe("formatting sizes", () => {
  test("bytes", () => {
    expect(formatBytes(0)).toBe("0 B");
    expect(formatBytes(812)).toBe("812 B");
    expect(formatBytes(14_540)).toBe("14.2 KB");
    expect(formatBytes(3.5 * 1024 * 1024)).toBe("3.5 MB");
    expect(formatBytes(-1)).toBe("—");
  });

  test("storage against the quota", () => {
    expect(formatMegabytes(0)).toBe("0 MB");
    expect(formatMegabytes(10)).toBe("< 0.01 MB");
    expect(storageText(12.5 * 1024 * 1024, 500 * 1024 * 1024)).toBe("12.5 MB of 500 MB");
  });
});
