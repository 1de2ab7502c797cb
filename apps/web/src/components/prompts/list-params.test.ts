import { describe, expect, it } from "vitest";
import { parsePage, promptListInput, promptListSearch } from "./list-params";

describe("prompt list URL parameters", () => {
  it("reads pages defensively", () => {
    expect(parsePage(undefined)).toBe(1);
    expect(parsePage("3")).toBe(3);
    expect(parsePage(["4", "5"])).toBe(4);
    expect(parsePage("0")).toBe(1);
    expect(parsePage("-2")).toBe(1);
    expect(parsePage("2.5")).toBe(1);
    expect(parsePage("abc")).toBe(1);
    expect(parsePage("99999999")).toBe(1);
  });

  it("builds the same input on the server and in the browser", () => {
    expect(promptListInput({ q: null, page: null })).toEqual({ page: 1, pageSize: 20 });
    expect(promptListInput({ q: "  reply ", page: "2" })).toEqual({ page: 2, pageSize: 20, query: "reply" });
    expect(promptListInput({ q: "   " })).toEqual({ page: 1, pageSize: 20 });
  });

  it("writes the search back without defaults", () => {
    expect(promptListSearch("", 1)).toBe("");
    expect(promptListSearch("a b", 1)).toBe("?q=a+b");
    expect(promptListSearch("x", 3)).toBe("?q=x&page=3");
  });
});
