/**
 * Template variables as people type them: one text per variable. A value that is JSON for a list
 * or an object (`["a", "b"]`, `{"name": "x"}`) is sent as that value, so Mustache sections
 * (`{{#changes}}…{{/changes}}`) can iterate; anything else is sent as the text itself.
 */
export function variableValue(text: string): unknown {
  const trimmed = text.trim();
  if ((trimmed.startsWith("[") && trimmed.endsWith("]")) || (trimmed.startsWith("{") && trimmed.endsWith("}"))) {
    try {
      return JSON.parse(trimmed) as unknown;
    } catch {
      return text;
    }
  }
  return text;
}

const UNSAFE_KEYS = new Set(["__proto__", "prototype", "constructor"]);

/**
 * The variables to send: the given names that have a value, each parsed by `variableValue`.
 * A dotted name (`user.name`) becomes a nested object, as Mustache looks it up.
 */
export function toVariables(names: readonly string[], values: Readonly<Record<string, string>>): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  // Shorter paths first: `user` as a whole wins over `user.name`.
  const ordered = [...names].sort((a, b) => a.split(".").length - b.split(".").length);
  for (const name of ordered) {
    const text = values[name];
    if (text === undefined) continue;
    const path = name.split(".");
    if (path.some((key) => key === "" || UNSAFE_KEYS.has(key))) {
      if (!UNSAFE_KEYS.has(name)) result[name] = variableValue(text);
      continue;
    }
    assign(result, path, variableValue(text));
  }
  return result;
}

function assign(target: Record<string, unknown>, path: readonly string[], value: unknown): void {
  let node = target;
  for (const [index, key] of path.entries()) {
    if (index === path.length - 1) {
      if (!(key in node)) node[key] = value;
      return;
    }
    const next = node[key];
    if (next === undefined) {
      const child: Record<string, unknown> = {};
      node[key] = child;
      node = child;
    } else if (typeof next === "object" && next !== null && !Array.isArray(next)) {
      node = next as Record<string, unknown>;
    } else {
      return;
    }
  }
}

/** An execution's stored input shown back as editable texts (strings as is, other values as JSON). */
export function toTexts(input: Readonly<Record<string, unknown>>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(input)) {
    result[name] = typeof value === "string" ? value : (JSON.stringify(value) ?? "");
  }
  return result;
}

/**
 * The warning beside a variable left empty (not blocking: an empty value is allowed and renders as
 * nothing, which is rarely what the author meant).
 */
export function emptyVariableWarning(name: string, text: string | undefined): string | null {
  return text === undefined || text.trim() === "" ? `${name} is empty; it will render as nothing.` : null;
}
