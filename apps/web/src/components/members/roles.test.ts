import { describe, expect, test } from "vitest";
import { quotaOf } from "./quota";
import { isDemotion } from "./roles";

describe("roles", () => {
  test("demotions are changes to fewer rights", () => {
    expect(isDemotion("admin", "user")).toBe(true);
    expect(isDemotion("user", "viewer")).toBe(true);
    expect(isDemotion("viewer", "admin")).toBe(false);
    expect(isDemotion("user", "user")).toBe(false);
  });
});

describe("quotaOf", () => {
  test("reads error.data.quota, nothing else", () => {
    expect(quotaOf({ data: { quota: { resource: "users", limit: 5, current: 5 } } })).toEqual({ resource: "users", limit: 5, current: 5 });
    expect(quotaOf({ data: { quota: null } })).toBeNull();
    expect(quotaOf(new Error("x"))).toBeNull();
    expect(quotaOf({ data: { quota: { resource: "users", limit: "5" } } })).toBeNull();
  });
});
