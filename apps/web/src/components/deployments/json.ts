export type JsonObjectResult = { ok: true; value: Record<string, unknown> } | { ok: false; message: string };

/**
 * Parses text a person typed as a JSON object (`{}` for blank text). Arrays, strings and numbers
 * are refused with a sentence that says what is expected.
 */
export function parseJsonObject(text: string, what = "The value"): JsonObjectResult {
  const trimmed = text.trim();
  if (trimmed === "") return { ok: true, value: {} };
  let value: unknown;
  try {
    value = JSON.parse(trimmed);
  } catch (error) {
    const detail = error instanceof Error ? error.message : "it cannot be parsed";
    return { ok: false, message: `${what} is not valid JSON: ${detail}.` };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    const kind = Array.isArray(value) ? "an array" : value === null ? "null" : `a ${typeof value}`;
    return { ok: false, message: `${what} must be a JSON object such as {"temperature": 0.2}, not ${kind}.` };
  }
  return { ok: true, value: value as Record<string, unknown> };
}

/** An object as indented JSON for a textarea ("{}" when empty). */
export function toJsonText(value: Record<string, unknown>): string {
  return Object.keys(value).length === 0 ? "{}" : JSON.stringify(value, null, 2);
}

/**
 * One line of JSON for tables (`{ "a": 1, "b": [ "x" ] }`: spaces between tokens so a narrow cell
 * wraps between them), shortened to `max` characters.
 */
export function compactJson(value: unknown, max = 120): string {
  // Newlines inside strings are escaped by JSON.stringify: only structural ones are replaced.
  const text = (JSON.stringify(value, null, 1) ?? "").replace(/\n\s*/g, " ");
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
