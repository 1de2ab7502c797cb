import { readFileSync } from "node:fs";
import { createServer, type ServerResponse } from "node:http";
import { expect, test, type Page } from "@playwright/test";
import { DEMO, FAKE_PORTS, workspaceClient } from "../support/env.ts";
import { saveScreenshot, signInOnPage } from "../support/pages.ts";

/**
 * Reviewing results, as a user of acme: a response schema edited with a JSON error and a schema
 * error, then generated from an example; runs of the template provider whose output follows the
 * schema or not; the badge and the errors; a comment on a selected span; star and review status;
 * the list's filters; and the CSV export of what they select.
 */
const PROMPT = `Scored answer ${Date.now()}`;

test.describe.configure({ mode: "serial" });

async function waitForEnd(id: string): Promise<void> {
  const acme = await workspaceClient("acme");
  await expect.poll(async () => (await acme.executions.get.query({ id })).status, { timeout: 30_000 }).toMatch(/completed|failed/);
}

/** Selects `text` inside the execution's output, as a mouse drag would (in the page: no DOM types here). */
async function selectInOutput(page: Page, text: string): Promise<void> {
  const script = `(() => {
    const element = document.querySelector('[data-testid="execution-output"]');
    const wanted = ${JSON.stringify(text)};
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const at = node.textContent.indexOf(wanted);
      if (at < 0) continue;
      const range = document.createRange();
      range.setStart(node, at);
      range.setEnd(node, at + wanted.length);
      window.getSelection().removeAllRanges();
      window.getSelection().addRange(range);
      element.dispatchEvent(new MouseEvent("mouseup", { bubbles: true }));
      return true;
    }
    return false;
  })()`;
  expect(await page.evaluate(script), `"${text}" is in the output`).toBe(true);
}

test("a schema is edited with errors, generated from an example, and results are checked, commented, starred, triaged, filtered and exported", async ({
  page,
}) => {
  await page.goto("/prompts/new");
  await signInOnPage(page, DEMO.acme.email, DEMO.acme.password);
  await page.getByLabel("Name").fill(PROMPT);
  await page.getByLabel("Template").fill('{"answer": "{{answer}}", "score": {{score}}}');

  const schema = page.getByLabel("Response schema");
  const status = page.getByTestId("response-schema-status");
  await schema.fill('{\n  "type": "object",\n  "properties": {,}\n}');
  await expect(status).toContainText("Not valid JSON. Line 3, column 18");
  await schema.fill('{"type": "objet"}');
  await expect(status).toContainText('The response schema is not valid: "type" at /type: must be one of:');
  // Saving it anyway: the API refuses it, next to the field.
  await page.getByRole("button", { name: "Create prompt" }).click();
  await expect(page.getByText('The response schema is not valid: "type" at /type').first()).toBeVisible();

  await page.getByTestId("response-schema-field").getByRole("button", { name: "Generate from example JSON" }).click();
  const dialog = page.getByRole("dialog", { name: "Generate a schema from an example" });
  await dialog.getByLabel("Example JSON").fill('{"answer": "yes", "score": 0.5');
  await dialog.getByRole("button", { name: "Generate" }).click();
  await expect(dialog.getByText(/^Line 1, column \d+/)).toBeVisible();
  await dialog.getByLabel("Example JSON").fill('{"answer": "yes", "score": 0.5}');
  await dialog.getByRole("button", { name: "Generate" }).click();
  await expect(dialog).toBeHidden();
  await expect(schema).toHaveValue(/"required": \[\s*"answer",\s*"score"\s*\]/);
  await expect(status).toHaveText("Valid JSON Schema.");
  await saveScreenshot(page, "workspace-response-schema");
  await page.getByRole("button", { name: "Create prompt" }).click();
  await expect(page.getByRole("heading", { name: PROMPT })).toBeVisible();

  // Two runs of the template provider: one follows the schema, one has a string score.
  const acme = await workspaceClient("acme");
  const prompt = (await acme.prompts.list.query({ query: PROMPT })).data[0];
  if (!prompt) throw new Error("the prompt was not created");
  const valid = await acme.executions.create.mutate({ promptId: prompt.id, input: { answer: "yes", score: "0.9" } });
  const invalid = await acme.executions.create.mutate({ promptId: prompt.id, input: { answer: "no", score: '"high"' } });
  await waitForEnd(valid.id);
  await waitForEnd(invalid.id);

  await page.goto(`/executions/${invalid.id}`);
  await expect(page.getByText("invalid", { exact: true })).toBeVisible();
  const errors = page.getByRole("note", { name: "Schema validation" });
  await expect(errors).toContainText("The result does not follow the response schema");
  await expect(errors).toContainText("score must be a number");

  await page.goto(`/executions/${valid.id}`);
  await expect(page.getByText("valid", { exact: true })).toBeVisible();
  await expect(page.getByRole("note", { name: "Schema validation" })).toHaveCount(0);

  // A comment on a selected span: highlighted in the output, quoted in the list.
  await selectInOutput(page, '"yes"');
  await page.getByRole("button", { name: "Comment on selection" }).click();
  const commentDialog = page.getByRole("dialog", { name: "Comment on the selection" });
  await commentDialog.getByLabel("Comment").fill("Is yes the right answer here?");
  await commentDialog.getByRole("button", { name: "Comment" }).click();
  await expect(commentDialog).toBeHidden();
  const comment = page.getByTestId("comment").filter({ hasText: "Is yes the right answer here?" });
  await expect(comment).toBeVisible();
  await expect(comment.locator("blockquote")).toHaveText('"yes"');
  await expect(page.getByTestId("execution-output").locator("mark")).toHaveText('"yes"');
  await page.getByLabel("Add a comment").fill("Score looks high but fine.");
  await page.getByRole("button", { name: "Comment", exact: true }).last().click();
  await expect(page.getByTestId("comment")).toHaveCount(2);

  // Star and review status.
  await page.getByRole("button", { name: "Star" }).click();
  await expect(page.getByRole("button", { name: "Unstar" })).toBeVisible();
  await page.getByLabel("Review status").selectOption("needs_work");
  await expect.poll(async () => (await acme.executions.get.query({ id: valid.id })).reviewStatus).toBe("needs_work");
  await saveScreenshot(page, "workspace-execution-review");

  // The list, filtered to starred executions that need work: only this one.
  await page.goto(`/executions?prompt=${prompt.id}`);
  await expect(page.getByRole("row")).toHaveCount(3);
  // A click before the page has hydrated does nothing: click until the filter is in the URL.
  const starredOnly = page.getByLabel("Starred only");
  await expect(async () => {
    if (!(await starredOnly.isChecked())) await starredOnly.click();
    await expect(page).toHaveURL(/starred=1/, { timeout: 2_000 });
  }).toPass();
  await page.getByLabel("Review").selectOption("needs_work");
  await expect(page).toHaveURL(/review=needs_work/);
  await expect(page.getByRole("row")).toHaveCount(2);
  await expect(page.getByRole("row").nth(1)).toContainText("Needs work");

  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Export CSV" }).click()]);
  expect(download.suggestedFilename()).toMatch(/^executions-\d{4}-\d{2}-\d{2}\.csv$/);
  const path = await download.path();
  const lines = readFileSync(path, "utf8").trim().split("\r\n");
  expect(lines[0]).toBe("id,created,prompt,version,provider,model,status,review status,starred,tokens,cost,latency,valid,input,result,error");
  expect(lines).toHaveLength(2);
  expect(lines[1]).toContain(valid.id);
  expect(lines[1]).toContain("needs_work,yes");
});

test("a pending execution is cancelled from its page and never runs", async ({ page }) => {
  // A provider that holds every request until released: the worker's lanes (4) are busy with the
  // first executions, so the last one stays pending while the page cancels it.
  const held: ServerResponse[] = [];
  let requests = 0;
  let released = false;
  const answer = (res: ServerResponse) =>
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ choices: [{ message: { role: "assistant", content: "{}" } }] }));
  const server = createServer((req, res) => {
    requests += 1;
    req.resume();
    if (released) answer(res);
    else held.push(res);
  });
  await new Promise<void>((resolve) => server.listen(FAKE_PORTS.spare, "127.0.0.1", resolve));
  const release = () => {
    released = true;
    for (const res of held.splice(0)) answer(res);
  };
  try {
    const acme = await workspaceClient("acme");
    const prompt = (await acme.prompts.list.query({ query: PROMPT })).data[0];
    if (!prompt) throw new Error("the first test's prompt is missing");
    await acme.settings.saveProvider.mutate({
      identifier: "held",
      baseUrl: `http://127.0.0.1:${FAKE_PORTS.spare}/v1`,
      apiKey: "sk-held",
      defaultModel: "slow",
    });
    for (let index = 0; index < 6; index += 1)
      await acme.executions.create.mutate({ promptId: prompt.id, provider: "held", input: { answer: "x", score: "1" } });
    const last = await acme.executions.create.mutate({ promptId: prompt.id, provider: "held", input: { answer: "last", score: "1" } });
    await expect.poll(() => requests, { timeout: 20_000 }).toBeGreaterThan(0);

    await page.goto(`/executions/${last.id}`);
    await signInOnPage(page, DEMO.acme.email, DEMO.acme.password);
    expect((await acme.executions.get.query({ id: last.id })).status).toBe("pending");
    await page.getByRole("button", { name: "Cancel execution" }).click();
    await expect(page.getByText("Execution cancelled")).toBeVisible();
    await expect(page.getByText("Cancelled before it ran")).toBeVisible();
    await expect(page.getByRole("button", { name: "Cancel execution" })).toHaveCount(0);
    release();
    // The held ones finish; the cancelled one is never sent to the provider.
    await expect.poll(async () => (await acme.executions.list.query({ promptId: prompt.id, status: "pending" })).total, { timeout: 30_000 }).toBe(0);
    const after = await acme.executions.get.query({ id: last.id });
    expect(after).toMatchObject({ status: "cancelled", result: null, startedAt: null });
  } finally {
    release();
    await new Promise((resolve) => server.close(resolve));
  }
});

test("comments on a prompt: written on its Comments tab with the version, edited and deleted", async ({ page }) => {
  const acme = await workspaceClient("acme");
  const prompt = await acme.prompts.create.mutate({ name: `Noted prompt ${Date.now()}`, template: "Rate {{answer}}" });
  await page.goto(`/prompts/${prompt.id}?tab=comments`);
  await signInOnPage(page, DEMO.acme.email, DEMO.acme.password);
  await expect(page.getByText("No comments yet.")).toBeVisible();
  await page.getByLabel("Add a comment").fill("The score should be between 0 and 1");
  await page.getByRole("button", { name: "Comment", exact: true }).click();
  // The prompt's only comment (its text leaves the item while it is edited).
  const comment = page.getByTestId("comment");
  await expect(comment).toContainText("The score should be between 0 and 1");
  await expect(comment).toContainText(`on v${prompt.currentVersion}`);
  await comment.getByRole("button", { name: "Edit" }).click();
  await comment.getByLabel("Edit the comment").fill("The score must be between 0 and 1");
  await comment.getByRole("button", { name: "Save" }).click();
  await expect(comment).toContainText("The score must be between 0 and 1");
  await expect(comment).toContainText("edited");
  expect((await acme.comments.listForPrompt.query({ promptId: prompt.id })).map((row) => row.body)).toEqual(["The score must be between 0 and 1"]);
  await comment.getByRole("button", { name: "Delete" }).click();
  await expect(page.getByText("No comments yet.")).toBeVisible();
  expect(await acme.comments.listForPrompt.query({ promptId: prompt.id })).toEqual([]);
});
