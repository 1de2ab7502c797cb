/**
 * JSON text in editors: where it breaks, and a schema from an example. No Ajv here, so the web app
 * can use it: Ajv compiles schemas with `new Function`, which the app's Content-Security-Policy
 * forbids in browsers (schemas are checked by the API: json-schema.ts, prompts.checkResponseSchema).
 */

const DRAFT_07 = "http://json-schema.org/draft-07/schema";

/**
 * JSON text as a value, or where it breaks (1-based line and column), for editors that show the
 * error at its place.
 */
export function parseJsonText(text: string): { ok: true; value: unknown } | { ok: false; message: string; line: number; column: number } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    const raw = error instanceof Error ? error.message : String(error);
    const position = /position (\d+)/.exec(raw);
    const offset = position?.[1] !== undefined ? Number(position[1]) : text.length;
    const before = text.slice(0, offset).split("\n");
    const line = before.length;
    const column = (before.at(-1)?.length ?? 0) + 1;
    const reason = raw.replace(/\s*in JSON at position \d+.*$/, "").replace(/^JSON\.parse: /, "");
    return { ok: false, message: `Line ${line}, column ${column}: ${reason}.`, line, column };
  }
}

/**
 * A draft-07 schema describing an example value: objects require the keys they have, arrays take
 * the schema of their first item, numbers without a fraction are integers.
 */
export function schemaFromExample(example: unknown): Record<string, unknown> {
  return { $schema: `${DRAFT_07}#`, ...schemaOf(example) };
}

function schemaOf(value: unknown): Record<string, unknown> {
  if (value === null) return { type: "null" };
  if (Array.isArray(value)) return value.length > 0 ? { type: "array", items: schemaOf(value[0]) } : { type: "array" };
  switch (typeof value) {
    case "string":
      return { type: "string" };
    case "number":
      return { type: Number.isInteger(value) ? "integer" : "number" };
    case "boolean":
      return { type: "boolean" };
    case "object": {
      const entries = Object.entries(value as Record<string, unknown>);
      return {
        type: "object",
        properties: Object.fromEntries(entries.map(([key, child]) => [key, schemaOf(child)])),
        required: entries.map(([key]) => key),
      };
    }
    default:
      return {};
  }
}
