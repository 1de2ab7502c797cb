import { expect, test } from "@playwright/test";
import { createTenant, ownAddress, signInTo } from "./support";

// Issue 7, item 4: the monthly quota counted live executions, so deleting a prompt (its
// executions cascade away) handed them back: 100 of 100, delete, 5 more accepted.

test("100 of 100 executions used, the prompt deleted: the next execution is still refused with the quota error", async () => {
  // 100 is the smallest monthly limit a workspace can have.
  const tenant = await createTenant("quota", { executions_per_month: 100 });
  const owner = await signInTo(tenant, ownAddress());
  const prompt = async (name: string) => ((await owner.mutate("prompts.create", { name, template: "Hello {{name}}" })).data as { id: string }).id;
  const first = await prompt("Spent");
  // 100 requests, in five waves of 20 in parallel.
  const statuses: number[] = [];
  for (let wave = 0; wave < 5; wave += 1) {
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => owner.mutate("executions.create", { promptId: first, input: { name: "x" }, provider: "template" })),
    );
    statuses.push(...answers.map((answer) => answer.status));
  }
  expect(statuses).toEqual(Array.from({ length: 100 }, () => 200));
  const deleted = await owner.mutate("prompts.delete", { id: first });
  expect(deleted.status, deleted.text).toBe(200);
  const second = await prompt("Fresh");
  const refused = await owner.mutate("executions.create", { promptId: second, input: { name: "x" }, provider: "template" });
  expect(refused.status).toBe(403);
  expect(refused.message).toBe("The plan allows 100 executions a month and 100 ran this month (UTC).");
  const stats = await owner.query("executions.stats");
  expect((stats.data as { thisMonth: { used: number; remaining: number } }).thisMonth).toMatchObject({ used: 100, remaining: 0 });
});
