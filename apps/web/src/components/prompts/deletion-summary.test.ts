import { describe, expect, test } from "vitest";
import { deletionSummary } from "./deletion-summary";

describe("deletionSummary", () => {
  const base = { name: "Greeting", versions: 3, executions: 12, deployments: 0, deploymentNames: [] };
  const admin = { canDeleteDeployments: true };
  const member = { canDeleteDeployments: false };

  test("counts the versions and executions that go with the prompt", () => {
    expect(deletionSummary(base, admin)).toBe(
      "This deletes the prompt, its 3 versions and 12 executions (they still count toward this month's execution quota). It cannot be undone.",
    );
    expect(deletionSummary({ ...base, versions: 1, executions: 1 }, admin)).toBe(
      "This deletes the prompt, its only version and 1 execution (they still count toward this month's execution quota). It cannot be undone.",
    );
    expect(deletionSummary({ ...base, executions: 0 }, admin)).toBe("This deletes the prompt and its 3 versions (it has no executions). It cannot be undone.");
  });

  test("deployments: an admin is told they go with the prompt; anyone else who can delete it", () => {
    expect(deletionSummary({ ...base, deployments: 1, deploymentNames: ["support-bot"] }, admin)).toBe(
      "“Greeting” is used by 1 deployment (“support-bot”), the label programs run it by. Deleting the prompt deletes it too, with its 3 versions and 12 executions; runs by that name stop working. It cannot be undone.",
    );
    expect(deletionSummary({ ...base, deployments: 7, deploymentNames: ["a", "b", "c", "d", "e"] }, member)).toBe(
      "“Greeting” is used by 7 deployments (“a”, “b”, “c”, “d”, “e” and more), the labels programs run it by. Only an admin can delete the prompt together with them; ask an admin of this workspace.",
    );
  });

  test("before the counts arrive", () => {
    expect(deletionSummary(undefined, admin)).toBe("This deletes the prompt with all its versions and executions. It cannot be undone.");
  });
});
