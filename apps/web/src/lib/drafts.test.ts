import { describe, expect, it } from "vitest";
import { clearDraft, draftKey, hasStringFields, isStringRecord, readDraft, writeDraft, type DraftStorage } from "./drafts";

class MemoryStorage implements DraftStorage {
  items = new Map<string, string>();
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.items.set(key, value);
  }
  removeItem(key: string): void {
    this.items.delete(key);
  }
}

const isNamed = (value: unknown): value is { name: string } => hasStringFields(value, ["name"]);

describe("drafts", () => {
  it("keys drafts by scope and form, so users and forms never share one", () => {
    expect(draftKey("acme/u1", "new-prompt")).toBe("sigil:draft:v1:acme/u1:new-prompt");
    expect(draftKey("acme/u1", "new-prompt")).not.toBe(draftKey("acme/u2", "new-prompt"));
    expect(draftKey("acme/u1", "new-prompt")).not.toBe(draftKey("globex/u1", "new-prompt"));
  });

  it("writes, reads back and clears a draft", () => {
    const storage = new MemoryStorage();
    const key = draftKey("acme/u1", "form");
    expect(readDraft(storage, key, isNamed)).toBeNull();
    writeDraft(storage, key, { name: "Support reply" });
    expect(readDraft(storage, key, isNamed)).toEqual({ name: "Support reply" });
    clearDraft(storage, key);
    expect(readDraft(storage, key, isNamed)).toBeNull();
  });

  it("drops a stored value that is not JSON or not the form's shape", () => {
    const storage = new MemoryStorage();
    storage.setItem("a", "{not json");
    storage.setItem("b", JSON.stringify({ name: 42 }));
    expect(readDraft(storage, "a", isNamed)).toBeNull();
    expect(readDraft(storage, "b", isNamed)).toBeNull();
    expect(storage.items.size).toBe(0);
  });

  it("survives a storage that throws (quota, disabled storage)", () => {
    const broken: DraftStorage = {
      getItem: () => {
        throw new Error("SecurityError");
      },
      setItem: () => {
        throw new Error("QuotaExceededError");
      },
      removeItem: () => {
        throw new Error("SecurityError");
      },
    };
    expect(() => writeDraft(broken, "k", { name: "x" })).not.toThrow();
    expect(readDraft(broken, "k", isNamed)).toBeNull();
    expect(() => clearDraft(broken, "k")).not.toThrow();
  });

  it("checks shapes", () => {
    expect(hasStringFields({ a: "x", b: "y", c: 1 }, ["a", "b"])).toBe(true);
    expect(hasStringFields({ a: "x" }, ["a", "b"])).toBe(false);
    expect(hasStringFields(["x"], ["0"])).toBe(false);
    expect(hasStringFields(null, [])).toBe(false);
    expect(isStringRecord({ a: "x", b: "" })).toBe(true);
    expect(isStringRecord({ a: 1 })).toBe(false);
    expect(isStringRecord([])).toBe(false);
  });
});
