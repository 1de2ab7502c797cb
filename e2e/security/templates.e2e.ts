import { expect, test } from "@playwright/test";
import { createTenant, ownAddress, pollUntil, signInTo } from "./support";

// Issue 7, item 7: a template `{{hasOwnProperty}}` could be saved but never rendered, and the
// answer carried the JavaScript exception ("t.hasOwnProperty is not a function.").

const JAVASCRIPT_ERROR = /is not a function|TypeError|ReferenceError|Cannot read propert|\[native code\]|function Object\(/;

test("a prompt with {{hasOwnProperty}} and {{constructor}} previews and runs, with no JavaScript error text in any answer", async () => {
  const tenant = await createTenant("templates");
  const owner = await signInTo(tenant, ownAddress());
  const template = "A{{hasOwnProperty}}B{{constructor}}C{{toString}}D{{__proto__}}E{{name}}";
  const created = await owner.mutate("prompts.create", { name: "Lookups", template });
  expect(created.status, created.text).toBe(200);
  const promptId = (created.data as { id: string }).id;
  const answers = [created];
  // (superjson refuses to send a `constructor` key, so only the template names it.)
  for (const variables of [{}, { hasOwnProperty: "own", toString: "text", name: "n" }]) {
    const preview = await owner.mutate("prompts.preview", { id: promptId, variables });
    expect(preview.status, preview.text).toBe(200);
    answers.push(preview);
  }
  expect(JSON.stringify(answers[1]?.data)).toContain("ABCDE");
  expect(JSON.stringify(answers[2]?.data)).toContain("AownBCtextDEn");
  const run = await owner.mutate("executions.create", { promptId, input: { hasOwnProperty: "own" }, provider: "template" });
  expect(run.status, run.text).toBe(200);
  const { id } = run.data as { id: string };
  const finished = await pollUntil(
    () => owner.query("executions.get", { id }),
    (answer) => ["completed", "failed"].includes((answer.data as { status: string }).status),
  );
  answers.push(run, finished);
  expect(finished.data).toMatchObject({ status: "completed", result: "AownBCDE" });
  for (const answer of answers) expect(answer.text).not.toMatch(JAVASCRIPT_ERROR);
});
