import type { ValidationIssue } from "@sigil/db";
import { describeSchemaProblem, validateJsonOutput } from "@sigil/validators/json-schema";
import { compiledSchema } from "../services/compiled-schemas.ts";

/**
 * Whether a result follows its version's response schema (executions.valid and
 * validation_errors): null without a schema; else valid, or invalid with at most 20 issues in
 * human words (output that is not JSON, a fenced ```json block being accepted, is one issue).
 */
export function validateResult(
  responseSchema: Record<string, unknown> | null,
  output: string,
): { valid: boolean | null; validationErrors: ValidationIssue[] | null } {
  if (responseSchema === null) return { valid: null, validationErrors: null };
  const validate = compiledSchema(responseSchema);
  if (typeof validate !== "function") return { valid: false, validationErrors: [{ path: "(schema)", message: describeSchemaProblem(validate) }] };
  const { valid, issues } = validateJsonOutput(validate, output);
  return { valid, validationErrors: valid ? null : issues };
}
