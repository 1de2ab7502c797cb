import { describe, expect, it } from "vitest";
import { changeNoteLabel, comparison, labelsByVersion, labelText } from "./versions";

describe("comparison", () => {
  it("needs two versions", () => {
    expect(comparison([], null, null)).toBeNull();
    expect(comparison([1], null, null)).toBeNull();
  });

  it("compares the previous version with the newest by default", () => {
    expect(comparison([3, 2, 1], null, null)).toEqual({ from: 2, to: 3 });
  });

  it("follows the URL, and falls back for versions that do not exist", () => {
    expect(comparison([3, 2, 1], 1, 3)).toEqual({ from: 1, to: 3 });
    expect(comparison([3, 2, 1], null, 2)).toEqual({ from: 1, to: 2 });
    expect(comparison([3, 2, 1], 9, 7)).toEqual({ from: 2, to: 3 });
    expect(comparison([3, 2, 1], null, 1)).toEqual({ from: 3, to: 1 });
    expect(comparison([3, 2, 1], 2, 2)).toEqual({ from: 2, to: 2 });
  });
});

describe("changeNoteLabel", () => {
  it("reads the server's notes", () => {
    expect(changeNoteLabel("create")).toBe("Created");
    expect(changeNoteLabel("update")).toBe("Edited");
    expect(changeNoteLabel("restore of v12")).toBe("Restored v12");
    expect(changeNoteLabel("")).toBe("—");
    expect(changeNoteLabel("imported")).toBe("imported");
    expect(changeNoteLabel("restore of v2: back to the short greeting")).toBe("Restored v2: back to the short greeting");
    expect(changeNoteLabel("Friendlier tone")).toBe("Friendlier tone");
  });
});

describe("labelsByVersion", () => {
  it("puts each deployment on the version it serves, pinned ones first", () => {
    const labels = [
      { id: "1", name: "staging", servedVersion: 3, tracking: "latest" as const },
      { id: "2", name: "production", servedVersion: 3, tracking: "pinned" as const },
      { id: "3", name: "canary", servedVersion: 1, tracking: "pinned" as const },
    ];
    const byVersion = labelsByVersion(labels);
    expect(byVersion.get(3)?.map(labelText)).toEqual(["production (pinned)", "staging (follows latest)"]);
    expect(byVersion.get(1)?.map(labelText)).toEqual(["canary (pinned)"]);
    expect(byVersion.get(2)).toBeUndefined();
  });
});
