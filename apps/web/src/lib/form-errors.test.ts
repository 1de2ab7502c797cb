import { describe, expect, test } from "vitest";
import { issuesByField } from "./form-errors";

describe("issuesByField", () => {
  const issues = [
    { path: ["name"], message: "A name is required." },
    { path: ["name"], message: "second message is dropped" },
    { path: ["settings", "limits", "users"], message: "At least 1." },
    { path: [], message: "Choose one." },
  ];
  test("files each issue under its top-level field, first message wins", () => {
    expect(issuesByField(issues)).toEqual({ name: "A name is required.", settings: "At least 1.", form: "Choose one." });
  });
  test("or under its whole path", () => {
    expect(issuesByField(issues, "path")).toEqual({ name: "A name is required.", "settings.limits.users": "At least 1.", form: "Choose one." });
  });
});
