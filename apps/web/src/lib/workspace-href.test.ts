import { describe, expect, test } from "vitest";
import { apiUrlFor, loginHref, safeNextPath, trustedBasePath, workspaceHref } from "./workspace-href";

describe("workspaceHref", () => {
  test("subdomain mode", () => {
    expect(workspaceHref("", "/prompts")).toBe("/prompts");
    expect(workspaceHref("", "prompts")).toBe("/prompts");
    expect(workspaceHref("", "/")).toBe("/");
    expect(apiUrlFor("")).toBe("/api/trpc");
  });
  test("path-prefix mode", () => {
    expect(workspaceHref("/tenant/acme", "/prompts?page=2")).toBe("/tenant/acme/prompts?page=2");
    expect(workspaceHref("/tenant/acme", "/")).toBe("/tenant/acme");
    expect(apiUrlFor("/tenant/acme")).toBe("/tenant/acme/api/trpc");
  });
});

test("trustedBasePath accepts only the segment's own prefix", () => {
  expect(trustedBasePath("acme", "/tenant/acme")).toBe("/tenant/acme");
  expect(trustedBasePath("acme", "/tenant/globex")).toBe("");
  expect(trustedBasePath("acme", null)).toBe("");
  expect(trustedBasePath("acme", "https://evil.test")).toBe("");
});

test("loginHref remembers where the visitor was going", () => {
  expect(loginHref("", "/prompts?q=a")).toBe("/login?next=%2Fprompts%3Fq%3Da");
  expect(loginHref("", "/")).toBe("/login");
  expect(loginHref("/tenant/acme", "/tenant/acme/")).toBe("/tenant/acme/login");
  expect(loginHref("/tenant/acme", "/tenant/acme")).toBe("/tenant/acme/login");
  expect(loginHref("/tenant/acme", "/tenant/acme/files")).toBe("/tenant/acme/login?next=%2Ftenant%2Facme%2Ffiles");
});

describe("safeNextPath", () => {
  test("keeps paths inside the workspace", () => {
    expect(safeNextPath("/prompts", "")).toBe("/prompts");
    expect(safeNextPath("/tenant/acme/files", "/tenant/acme")).toBe("/tenant/acme/files");
  });
  test("sends everything else home", () => {
    for (const next of [null, undefined, "", "//evil.test", "https://evil.test", "/\\evil.test", "javascript:alert(1)", "/x\n"]) {
      expect(safeNextPath(next, "")).toBe("/");
    }
    expect(safeNextPath("/tenant/globex/", "/tenant/acme")).toBe("/tenant/acme");
    expect(safeNextPath("/tenant/acme", "/tenant/acme")).toBe("/tenant/acme");
    expect(safeNextPath("/tenant/acme/../globex/", "/tenant/acme")).toBe("/tenant/acme");
    expect(safeNextPath("/tenant/acme/%2E%2E/globex", "/tenant/acme")).toBe("/tenant/acme");
    expect(safeNextPath("/tenant/acme/prompts/v1.2", "/tenant/acme")).toBe("/tenant/acme/prompts/v1.2");
    expect(safeNextPath("/prompts", "/tenant/acme")).toBe("/tenant/acme");
  });
});
