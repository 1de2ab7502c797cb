import { parseJsonText } from "@sigil/validators";

/** A stored schema as the editor shows it: pretty JSON, or "" for none. */
export function schemaText(schema: Record<string, unknown> | null | undefined): string {
  return schema ? JSON.stringify(schema, null, 2) : "";
}

/**
 * The editor's text as the value saved (null: no schema), or why it is not JSON, with its line and
 * column. Whether the schema itself is valid is the API's to say (prompts.checkResponseSchema and
 * on save): Ajv cannot run in the browser under the app's Content-Security-Policy.
 */
export function readSchemaText(text: string): { ok: true; schema: Record<string, unknown> | null } | { ok: false; error: string } {
  if (text.trim() === "") return { ok: true, schema: null };
  const parsed = parseJsonText(text);
  if (!parsed.ok) return { ok: false, error: `Not valid JSON. ${parsed.message}` };
  if (typeof parsed.value !== "object" || parsed.value === null || Array.isArray(parsed.value)) {
    return { ok: false, error: 'A JSON Schema is a JSON object, like {"type": "object"}.' };
  }
  return { ok: true, schema: parsed.value as Record<string, unknown> };
}

/** Whether the editor's text means the same schema as the saved one (whitespace aside). */
export function sameSchema(text: string, saved: Record<string, unknown> | null): boolean {
  if (text.trim() === "") return saved === null;
  const parsed = parseJsonText(text);
  return parsed.ok ? JSON.stringify(parsed.value) === JSON.stringify(saved) : false;
}
