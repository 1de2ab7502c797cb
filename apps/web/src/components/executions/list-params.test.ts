import { describe, expect, it } from "vitest";
import { executionExportSearch, executionListInput, executionListSearch, NO_FILTERS, parseExecutionFilters } from "./list-params";

const ID = "0b7d6c3e-4a5f-4e1b-9c2d-8f7e6a5b4c3d";

describe("execution list URL parameters", () => {
  it("reads known filters and ignores the rest", () => {
    expect(parseExecutionFilters({})).toEqual({ ...NO_FILTERS, page: 1 });
    expect(parseExecutionFilters({ status: "failed", prompt: ID, page: "2" })).toEqual({ ...NO_FILTERS, status: "failed", promptId: ID, page: 2 });
    expect(parseExecutionFilters({ starred: "1", review: "needs_work", from: "2026-12-01", to: "2026-12-05" })).toEqual({
      ...NO_FILTERS,
      starred: true,
      reviewStatus: "needs_work",
      from: "2026-12-01",
      to: "2026-12-05",
      page: 1,
    });
    expect(parseExecutionFilters({ status: "exploded", prompt: "../etc", page: "x", starred: "yes", review: "done", from: "yesterday" })).toEqual({
      ...NO_FILTERS,
      page: 1,
    });
  });

  it("builds the same input on both sides and writes defaults nowhere", () => {
    expect(executionListInput({ ...NO_FILTERS, page: 1 })).toEqual({ page: 1, pageSize: 20 });
    expect(executionListInput({ ...NO_FILTERS, status: "running", promptId: ID, starred: true, reviewStatus: "reviewed", page: 3 })).toEqual({
      page: 3,
      pageSize: 20,
      status: "running",
      promptId: ID,
      starred: "true",
      reviewStatus: "reviewed",
    });
    expect(executionListSearch({ ...NO_FILTERS, page: 1 })).toBe("");
    expect(executionListSearch({ ...NO_FILTERS, status: "completed", promptId: ID, page: 2 })).toBe(`?status=completed&prompt=${ID}&page=2`);
    expect(executionListSearch({ ...NO_FILTERS, starred: true, reviewStatus: "new", from: "2026-01-01", page: 1 })).toBe(
      "?starred=1&review=new&from=2026-01-01",
    );
  });

  it("exports with the list's filters and without its page", () => {
    expect(executionExportSearch({ ...NO_FILTERS, page: 4 })).toBe("");
    expect(executionExportSearch({ ...NO_FILTERS, starred: true, to: "2026-12-05", page: 2 })).toBe("?starred=true&to=2026-12-05");
  });
});
