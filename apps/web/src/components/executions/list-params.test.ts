import { describe, expect, it } from "vitest";
import { executionListInput, executionListSearch, parseExecutionFilters } from "./list-params";

const ID = "0b7d6c3e-4a5f-4e1b-9c2d-8f7e6a5b4c3d";

describe("execution list URL parameters", () => {
  it("reads known filters and ignores the rest", () => {
    expect(parseExecutionFilters({})).toEqual({ status: null, promptId: null, page: 1 });
    expect(parseExecutionFilters({ status: "failed", prompt: ID, page: "2" })).toEqual({ status: "failed", promptId: ID, page: 2 });
    expect(parseExecutionFilters({ status: "exploded", prompt: "../etc", page: "x" })).toEqual({ status: null, promptId: null, page: 1 });
  });

  it("builds the same input on both sides and writes defaults nowhere", () => {
    expect(executionListInput({ status: null, promptId: null, page: 1 })).toEqual({ page: 1, pageSize: 20 });
    expect(executionListInput({ status: "running", promptId: ID, page: 3 })).toEqual({ page: 3, pageSize: 20, status: "running", promptId: ID });
    expect(executionListSearch({ status: null, promptId: null, page: 1 })).toBe("");
    expect(executionListSearch({ status: "completed", promptId: ID, page: 2 })).toBe(`?status=completed&prompt=${ID}&page=2`);
  });
});
