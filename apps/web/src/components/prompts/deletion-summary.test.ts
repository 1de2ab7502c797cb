import { describe, expect, test } from "vitest";
import { deletionSummary } from "./deletion-summary";

describe("deletionSummary", () => {
  const base = { name: "Greeting", versions: 3, executions: 12, deployments: 0, deploymentNames: [] };

  test("counts the versions and executions that go with the prompt", () => {
    expect(deletionSummary(base)).toBe(
      "This deletes the prompt, its 3 versions and 12 executions (they still count toward this month's execution quota). It cannot be undone.",
    );
    expect(deletionSummary({ ...base, versions: 1, executions: 1 })).toBe(
      "This deletes the prompt, its only version and 1 execution (they still count toward this month's execution quota). It cannot be undone.",
    );
    expect(deletionSummary({ ...base, executions: 0 })).toBe("This deletes the prompt and its 3 versions (it has no executions). It cannot be undone.");
  });

  test("deployments block the delete, and the sentence says so", () => {
    expect(deletionSummary({ ...base, deployments: 1, deploymentNames: ["support-bot"] })).toBe(
      "“Greeting” is used by 1 deployment (“support-bot”). An admin must delete it before the prompt can be deleted.",
    );
    expect(deletionSummary({ ...base, deployments: 7, deploymentNames: ["a", "b", "c", "d", "e"] })).toBe(
      "“Greeting” is used by 7 deployments (“a”, “b”, “c”, “d”, “e” and more). An admin must delete them before the prompt can be deleted.",
    );
  });

  test("before the counts arrive", () => {
    expect(deletionSummary(undefined)).toBe("This deletes the prompt with all its versions and executions. It cannot be undone.");
  });
});
