import { describe, expect, it } from "vitest";
import { promptFormErrors } from "./form-errors";

class FakeClientError extends Error {
  constructor(
    message: string,
    public data: Record<string, unknown>,
  ) {
    super(message);
  }
}

describe("promptFormErrors", () => {
  it("has nothing to show without an error", () => {
    expect(promptFormErrors(null)).toEqual({ fieldErrors: {}, formError: null });
  });

  it("puts zod field errors next to their fields", () => {
    const error = new FakeClientError("Invalid input: name: A name is required.", {
      code: "BAD_REQUEST",
      zodError: { fieldErrors: { name: ["A name is required."] } },
    });
    expect(promptFormErrors(error)).toEqual({ fieldErrors: { name: "A name is required." }, formError: null });
  });

  it("puts a name conflict next to the name and a parse error next to the template", () => {
    const conflict = new FakeClientError('A prompt named "x" already exists. Choose another name.', { code: "CONFLICT" });
    expect(promptFormErrors(conflict).fieldErrors.name).toMatch(/already exists/);
    const parse = new FakeClientError('The template cannot be parsed: Unclosed section "a" at 6.', { code: "BAD_REQUEST" });
    expect(promptFormErrors(parse).fieldErrors.template).toMatch(/cannot be parsed/);
  });

  it("puts a schema that does not compile next to its own field, even when the path names a template", () => {
    const response = new FakeClientError('The response schema is not valid: "type" at /type: must be one of: object.', { code: "BAD_REQUEST" });
    expect(promptFormErrors(response).fieldErrors).toEqual({ responseSchema: response.message });
    const input = new FakeClientError('The input schema is not valid: "requird" at /properties/template/requird: unknown keyword.', { code: "BAD_REQUEST" });
    expect(promptFormErrors(input).fieldErrors).toEqual({ inputSchema: input.message });
  });

  it("shows anything else above the form", () => {
    const quota = new FakeClientError("Too many requests.", { code: "TOO_MANY_REQUESTS" });
    expect(promptFormErrors(quota)).toEqual({ fieldErrors: {}, formError: quota });
  });
});
