import { compileJsonSchema, type SchemaProblem, type ValidateFunction } from "@sigil/validators/json-schema";

/** Compiled schemas kept at most; the least recently used is dropped first. */
const CACHE_SIZE = 500;

/** Each schema is compiled once (Ajv compiles to a function, which costs far more than a check). */
const compiled = new Map<string, ValidateFunction | SchemaProblem>();

/**
 * The compiled validator of a schema, or what is wrong with it (a schema saved before schemas were
 * checked, or imported from hypersigil). Keyed by the schema's JSON text, so a version's schema is
 * compiled once, and an equal schema of another version or tenant shares it. Used for response
 * schemas by the worker and for input schemas by execution creation.
 */
export function compiledSchema(schema: Record<string, unknown>): ValidateFunction | SchemaProblem {
  const key = JSON.stringify(schema);
  const cached = compiled.get(key);
  if (cached !== undefined) {
    compiled.delete(key);
    compiled.set(key, cached);
    return cached;
  }
  const result = compileJsonSchema(schema);
  const entry = result.validate ?? result.problem;
  compiled.set(key, entry);
  if (compiled.size > CACHE_SIZE) {
    const oldest = compiled.keys().next();
    if (!oldest.done) compiled.delete(oldest.value);
  }
  return entry;
}
