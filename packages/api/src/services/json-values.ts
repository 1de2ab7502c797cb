import { TRPCError } from "@trpc/server";

/**
 * Free-form inputs (execution input, template variables, deployment options, response schemas) are
 * typed `z.record(z.string(), z.unknown())` by the validators, and superjson happily delivers a
 * Date, Map, Set, BigInt, NaN or undefined inside them. They are stored in JSON columns, where a
 * BigInt makes JSON.stringify throw (a 500) and a Map silently becomes `{}`. So every free-form
 * value is checked here first: plain JSON only, or a BAD_REQUEST naming the offending path.
 */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

export const MAX_JSON_DEPTH = 32;

function fail(label: string, path: string, problem: string): never {
  throw new TRPCError({
    code: "BAD_REQUEST",
    message: `${label}${path} ${problem}; only JSON values (strings, finite numbers, booleans, null, arrays and plain objects) are accepted.`,
  });
}

function describe(value: unknown): string {
  if (value instanceof Date) return "is a Date";
  if (value instanceof Map) return "is a Map";
  if (value instanceof Set) return "is a Set";
  if (typeof value === "bigint") return "is a BigInt";
  if (typeof value === "number") return `is ${String(value)}`;
  if (value === undefined) return "is undefined";
  return `is a ${typeof value === "object" ? (value?.constructor?.name ?? "non-plain object") : typeof value}`;
}

function check(value: unknown, label: string, path: string, depth: number): JsonValue {
  if (value === null || typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "number") {
    if (!Number.isFinite(value)) fail(label, path, describe(value));
    return value;
  }
  if (depth >= MAX_JSON_DEPTH) fail(label, path, `is nested more than ${MAX_JSON_DEPTH} levels deep`);
  if (Array.isArray(value)) return value.map((item, index) => check(item, label, `${path}[${index}]`, depth + 1));
  if (typeof value === "object") {
    const proto: unknown = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) fail(label, path, describe(value));
    const copy: JsonObject = {};
    for (const [key, item] of Object.entries(value)) {
      // JSON drops undefined members; do the same rather than fail a client that sends them.
      if (item === undefined) continue;
      Object.defineProperty(copy, key, { value: check(item, label, `${path}.${key}`, depth + 1), enumerable: true, writable: true, configurable: true });
    }
    return copy;
  }
  return fail(label, path, describe(value));
}

/** A plain-JSON copy of a free-form object, or a BAD_REQUEST naming the first non-JSON value. */
export function toJsonObject(value: Record<string, unknown>, label: string): JsonObject {
  return check(value, label, "", 0) as JsonObject;
}
