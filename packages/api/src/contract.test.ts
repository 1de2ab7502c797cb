import * as db from "@sigil/db";
import * as validators from "@sigil/validators";
import { describe, expect, test } from "vitest";

/** @sigil/db and @sigil/validators may not import each other, so their shared vocabularies are checked here. */
describe("db and validators agree", () => {
  test.each([
    ["tenant statuses", db.TENANT_STATUSES, validators.TENANT_STATUSES],
    ["tenant plans", db.TENANT_PLANS, validators.TENANT_PLANS],
    ["user roles", db.USER_ROLES, validators.USER_ROLES],
    ["user statuses", db.USER_STATUSES, validators.USER_STATUSES],
    ["API-key scopes", db.API_KEY_SCOPES, validators.API_KEY_SCOPES],
    ["execution statuses", db.EXECUTION_STATUSES, validators.EXECUTION_STATUSES],
    ["review statuses", db.REVIEW_STATUSES, validators.REVIEW_STATUSES],
    ["maintenance kinds", db.MAINTENANCE_KINDS, validators.MAINTENANCE_KIND_NAMES],
    ["tenant list sort keys", db.TENANT_SORT_KEYS, validators.TENANT_SORT_KEYS],
    ["reserved slugs", [...db.RESERVED_SLUGS].sort(), [...validators.RESERVED_SLUGS].sort()],
  ])("%s", (_name, left, right) => {
    expect([...left]).toEqual([...right]);
  });

  test("the largest tenant page", () => {
    expect(validators.listTenantsInput.safeParse({ pageSize: db.MAX_TENANT_PAGE_SIZE }).success).toBe(true);
    expect(validators.listTenantsInput.safeParse({ pageSize: db.MAX_TENANT_PAGE_SIZE + 1 }).success).toBe(false);
  });

  test("the slug pattern", () => {
    expect(validators.SLUG_PATTERN.source).toBe(db.SLUG_PATTERN.source);
  });
});

describe("maintenance outcomes", () => {
  test("the API accepts exactly the outcomes its tasks record", async () => {
    const { MAINTENANCE_OUTCOMES } = await import("./services/maintenance/tasks.ts");
    const recorded = new Set(Object.values(MAINTENANCE_OUTCOMES).flat());
    expect([...recorded].sort()).toEqual([...validators.MAINTENANCE_OUTCOME_NAMES].sort());
  });
});
