import { describe, expect, test } from "vitest";
import { MIGRATIONS_PAGE_SIZE, migrationsHref, migrationsQueryFromSearchParams } from "./migrations-query";

describe("the Migrations page's view in its URL", () => {
  test("page, size and state are read; defaults apply to what is missing", () => {
    expect(migrationsQueryFromSearchParams({ page: "3", size: "10", state: "behind" })).toEqual({ page: 3, pageSize: 10, state: "behind" });
    expect(migrationsQueryFromSearchParams({})).toEqual({ page: 1, pageSize: MIGRATIONS_PAGE_SIZE });
  });

  test("a parameter that is not valid is dropped, never an error page; the others are kept", () => {
    expect(migrationsQueryFromSearchParams({ page: "-2", size: "5000", state: "behind" })).toEqual({
      page: 1,
      pageSize: MIGRATIONS_PAGE_SIZE,
      state: "behind",
    });
    expect(migrationsQueryFromSearchParams({ page: "2", state: "sideways" })).toEqual({ page: 2, pageSize: MIGRATIONS_PAGE_SIZE });
    expect(migrationsQueryFromSearchParams({ page: ["4", "5"], state: ["unknown"] })).toEqual({ page: 4, pageSize: MIGRATIONS_PAGE_SIZE, state: "unknown" });
  });

  test("the href round-trips and leaves defaults out", () => {
    expect(migrationsHref({ page: 1, pageSize: MIGRATIONS_PAGE_SIZE })).toBe("/migrations");
    const href = migrationsHref({ page: 2, pageSize: 1, state: "up_to_date" });
    expect(href).toBe("/migrations?state=up_to_date&size=1&page=2");
    const params = Object.fromEntries(new URL(href, "http://admin.localhost").searchParams);
    expect(migrationsQueryFromSearchParams(params)).toEqual({ page: 2, pageSize: 1, state: "up_to_date" });
  });
});
