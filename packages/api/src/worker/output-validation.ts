import type { ValidationIssue } from "@sigil/db";
import { compileJsonSchema, describeSchemaProblem, validateJsonOutput, type ValidateFunction } from "@sigil/validators/json-schema";

/** Compiled schemas kept at most; the least recently used is dropped first. */
const CACHE_SIZE = 500;

/** Each schema is compiled once (Ajv compiles to a function, which costs far more than a check). */
const compiled = new Map<string, ValidateFunction | string>();

/**
 * The compiled validator of a schema, or why it does not compile (a schema saved before schemas
 * were checked, or imported from hypersigil). Keyed by the schema's JSON text, so a version's
 * schema is compiled once, and an equal schema of another version or tenant shares it.
 */
function validatorFor(schema: Record<string, unknown>): ValidateFunction | string {
  const key = JSON.stringify(schema);
  const cached = compiled.get(key);
  if (cached !== undefined) {
    compiled.delete(key);
    compiled.set(key, cached);
    return cached;
  }
  const result = compileJsonSchema(schema);
  const entry = result.validate ?? describeSchemaProblem(result.problem);
  compiled.set(key, entry);
  if (compiled.size > CACHE_SIZE) {
    const oldest = compiled.keys().next();
    if (!oldest.done) compiled.delete(oldest.value);
  }
  return entry;
}

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
  const validate = validatorFor(responseSchema);
  if (typeof validate === "string") return { valid: false, validationErrors: [{ path: "(schema)", message: validate }] };
  const { valid, issues } = validateJsonOutput(validate, output);
  return { valid, validationErrors: valid ? null : issues };
}
