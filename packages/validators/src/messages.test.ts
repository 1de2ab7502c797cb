import { describe, expect, test } from "vitest";
import { z } from "zod";
import * as validators from "./index.ts";

/** Zod's own English wording: what a person must never see beside a field. */
const RAW = /(too (small|big)|invalid (input|option|string|key|element|union|format)|unrecognized key|expected)/i;

const schemas: [string, z.ZodType][] = [];
for (const [name, value] of Object.entries(validators)) if (value instanceof z.ZodType) schemas.push([name, value]);

/** Bad inputs that reach the usual checks: wrong types, empty and overlong strings, odd numbers. */
function badInputs(schema: z.ZodType): unknown[] {
  const inputs: unknown[] = [undefined, null, "x", -1, 1.5, [], {}];
  if (schema instanceof z.ZodObject) {
    const keys = Object.keys(schema.shape);
    for (const value of ["", " ", "x".repeat(300_000), -1, 0.5, [], {}, "not-a-uuid"]) {
      inputs.push(Object.fromEntries(keys.map((key) => [key, value])));
    }
    inputs.push({ ...Object.fromEntries(keys.map((key) => [key, ""])), unexpected: true });
  }
  return inputs;
}

describe("every validator speaks to people", () => {
  test("there are schemas to check", () => {
    expect(schemas.length).toBeGreaterThan(20);
  });

  test.each(schemas)("%s: no issue message is zod's raw text", (_name, schema) => {
    for (const input of badInputs(schema)) {
      const result = schema.safeParse(input);
      if (result.success) continue;
      for (const issue of result.error.issues) {
        expect(issue.message, `${JSON.stringify(issue.path)} for ${JSON.stringify(input)?.slice(0, 80)}`).not.toMatch(RAW);
      }
    }
  });

  test("the deployment form's empty fields each say what to do", () => {
    const result = validators.createDeploymentInput.safeParse({ name: "", promptId: "", provider: "", model: "" });
    expect(result.success).toBe(false);
    // Forms show the first message of each field.
    const messages: Record<string, string> = {};
    for (const issue of result.error?.issues ?? []) messages[issue.path.join(".")] ??= issue.message;
    expect(messages).toEqual({
      name: "Enter a name for the deployment.",
      promptId: "Choose a prompt.",
      provider: "Choose a provider.",
      model: "Enter the model to use.",
    });
  });

  test("limits are worded with the number", () => {
    const long = validators.createPromptInput.safeParse({ name: "n", description: "d".repeat(2_001), template: "t" });
    expect(long.error?.issues[0]?.message).toBe("Enter at most 2,000 characters.");
    expect(z.int().min(3).safeParse(1).error?.issues[0]?.message).toBe("Enter 3 or more.");
    expect(z.array(z.string()).min(1).safeParse([]).error?.issues[0]?.message).toBe("Choose at least one.");
    expect(z.string().safeParse(undefined).error?.issues[0]?.message).toBe("This field is required.");
    expect(z.enum(["a", "b"]).safeParse("c").error?.issues[0]?.message).toBe("Choose one of: a, b.");
  });

  test("a schema's own message still wins", () => {
    expect(validators.name().safeParse("").error?.issues[0]?.message).toBe("A name is required.");
  });
});
