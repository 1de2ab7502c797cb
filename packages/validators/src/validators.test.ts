import { describe, expect, test } from "vitest";
import { createApiKeyInput, createTenantInput, loginInput, previewInput, slug, uploadFileInput } from "./index.ts";

describe("slug", () => {
  test.each(["acme", "a", "a1", "my-team", "x".repeat(50)])("accepts %j", (value) => {
    expect(slug.safeParse(value).success).toBe(true);
  });
  test.each(["", "ACME", "../x", "a/b", "a_b", "-a", "a-", "аcme", "acme\u0000", "x".repeat(51), "admin", "www", "api"])(
    "rejects %j without changing it",
    (value) => {
      expect(slug.safeParse(value).success).toBe(false);
    },
  );
});

describe("tenant creation (the seed's schema)", () => {
  const valid = {
    name: "Initech",
    slug: "initech",
    plan: "pro",
    settings: { features: [], limits: { users: 1, storage: 100, executions_per_month: 100 } },
    owner: { email: "Owner@Initech.test", name: "Bill" },
  };
  test("accepts the seed's minimums and normalises the owner's email", () => {
    const parsed = createTenantInput.parse(valid);
    expect(parsed.owner.email).toBe("owner@initech.test");
  });
  test("refuses limits below the seed's minimums, with the field named", () => {
    const result = createTenantInput.safeParse({ ...valid, settings: { ...valid.settings, limits: { users: 0, storage: 99, executions_per_month: 99 } } });
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((i) => i.path.join("."))).toEqual(
      expect.arrayContaining(["settings.limits.users", "settings.limits.storage", "settings.limits.executions_per_month"]),
    );
  });
});

describe("inputs people type", () => {
  test("login trims and lower-cases the email; an empty password is refused", () => {
    expect(loginInput.parse({ email: " Ada@Acme.test ", password: "x" }).email).toBe("ada@acme.test");
    expect(loginInput.safeParse({ email: "ada@acme.test", password: "" }).success).toBe(false);
  });
  test("API keys need at least one known scope", () => {
    expect(createApiKeyInput.safeParse({ name: "ci", scopes: [] }).success).toBe(false);
    expect(createApiKeyInput.safeParse({ name: "ci", scopes: ["admin:all"] }).success).toBe(false);
    expect(createApiKeyInput.safeParse({ name: "ci", scopes: ["prompts:read"] }).success).toBe(true);
  });
  test("uploads: file names without path separators, real MIME types, real base64", () => {
    const ok = { name: "notes.txt", mimeType: "text/plain", contentBase64: Buffer.from("hi").toString("base64") };
    expect(uploadFileInput.safeParse(ok).success).toBe(true);
    expect(uploadFileInput.safeParse({ ...ok, name: "../etc/passwd" }).success).toBe(false);
    expect(uploadFileInput.safeParse({ ...ok, name: "a\\b" }).success).toBe(false);
    expect(uploadFileInput.safeParse({ ...ok, mimeType: "text" }).success).toBe(false);
    expect(uploadFileInput.safeParse({ ...ok, contentBase64: "not base64!" }).success).toBe(false);
  });
  test("preview takes either a template or a stored prompt", () => {
    expect(previewInput.safeParse({ template: "Hi {{x}}", variables: { x: 1 } }).success).toBe(true);
    expect(previewInput.safeParse({ id: "5f0c6a52-1d2b-4c55-9f5e-0a7d3c2b1e44", variables: {} }).success).toBe(true);
    expect(previewInput.safeParse({ variables: {} }).success).toBe(false);
  });
});
