import { encryptHypersigilSecret, type HypersigilRow, type HypersigilSource } from "@sigil/db";
import { describe, expect, it } from "vitest";
import { planImport, sharedRowId } from "./plan.ts";

const key = Buffer.alloc(32, 3);
const at = "2025-06-01T10:00:00.000Z";
const row = (id: string, document: unknown): HypersigilRow => ({
  id,
  data: typeof document === "string" ? document : JSON.stringify(document),
  createdAt: at,
  updatedAt: at,
});
const source = (tables: Record<string, HypersigilRow[]>): HypersigilSource => ({
  path: "test.sqlite",
  tables: new Map(Object.entries(tables)),
  migrations: [],
});
const plan = (tables: Record<string, HypersigilRow[]>) => planImport(source(tables), { tenantId: "tenant-a", encryptionKey: key });

describe("planImport: hypersigil documents → Sigil rows", () => {
  it("reports a document that does not look like hypersigil's, naming the table, id and field", () => {
    const result = plan({ users: [row("u1", { name: "No email", role: "user", status: "active" })] });
    expect(result.shared.users).toHaveLength(0);
    expect(result.problems).toEqual([{ table: "users", id: "u1", kind: "invalid", reason: expect.stringContaining("email") as string }]);
  });

  it("reports timestamps that are not dates as corrupt", () => {
    const result = plan({ files: [{ ...row("f1", { name: "a", mimeType: "text/plain", data: "aGk=" }), createdAt: "yesterday" }] });
    expect(result.problems[0]).toMatchObject({ table: "files", id: "f1", kind: "corrupt" });
  });

  it("makes the document's own text the current version even when its versions array lacks it", () => {
    const result = plan({
      prompts: [
        row("p1", {
          name: "Greeting",
          prompt: "Hello {{name}} v3",
          current_version: 3,
          versions: [{ version: 1, name: "Greeting", prompt: "Hello v1", created_at: at }],
        }),
      ],
    });
    expect(result.tenant.prompts[0]?.versions.map((version) => [version.version, version.template])).toEqual([
      [1, "Hello v1"],
      [3, "Hello {{name}} v3"],
    ]);
  });

  it("an execution without a saved prompt is a dangling reference; JSON input becomes variables, text stays whole", () => {
    const prompt = row("p1", { name: "P", prompt: "x", current_version: 1, versions: [] });
    const execution = (id: string, fields: Record<string, unknown>) => row(id, { provider: "openai", model: "m", status: "completed", ...fields });
    const result = plan({
      prompts: [prompt],
      executions: [
        execution("e1", { prompt_text: "ad hoc", user_input: "hi" }),
        execution("e2", { prompt_id: "p1", user_input: '{"name":"Zoë"}' }),
        execution("e3", { prompt_id: "p1", user_input: "plain text" }),
      ],
    });
    expect(result.problems).toEqual([expect.objectContaining({ table: "executions", id: "e1", kind: "dangling" })]);
    expect(result.tenant.executions.map((entry) => entry.input)).toEqual([{ name: "Zoë" }, { user_input: "plain text" }]);
  });

  it("keeps a file's bytes and notes a size its document got wrong", () => {
    const result = plan({ files: [row("f1", { name: "a.txt", mimeType: "text/plain", size: 99, data: Buffer.from("héllo").toString("base64") })] });
    expect(result.tenant.files[0]?.content.toString()).toBe("héllo");
    expect(result.notes[0]).toMatchObject({ table: "files", id: "f1" });
  });

  it("decrypts a provider key with the given key, and leaves out settings Sigil cannot use", () => {
    const result = plan({
      settings: [
        row("s1", { type: "llm-api-key", identifier: "openai", provider: "openai", api_key: encryptHypersigilSecret("sk-test-123456", key), active: true }),
        row("s2", { type: "global-theme", darkMode: true }),
        row("s3", { type: "webhook-destination", identifier: "Not A Slug", url: "https://example.com", active: true }),
      ],
    });
    expect(result.shared.settings).toEqual([
      expect.objectContaining({ type: "provider", identifier: "openai", payload: expect.objectContaining({ apiKey: "sk-test-123456" }) as object }),
    ]);
    expect(result.leftOut).toEqual([expect.objectContaining({ id: "s2" })]);
    expect(result.problems).toEqual([expect.objectContaining({ id: "s3", kind: "invalid" })]);
  });

  it("derives shared ids per workspace, the same on every run", () => {
    expect(sharedRowId("tenant-a", "users", "u1")).toBe(sharedRowId("tenant-a", "users", "u1"));
    expect(sharedRowId("tenant-a", "users", "u1")).not.toBe(sharedRowId("tenant-b", "users", "u1"));
    expect(sharedRowId("tenant-a", "users", "u1")).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
