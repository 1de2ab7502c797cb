/**
 * Template variables as people type them: one text per variable. A value that is JSON for a list
 * or an object (`["a", "b"]`, `{"name": "x"}`) is sent as that value, so Mustache sections
 * (`{{#changes}}…{{/changes}}`) can iterate; anything else is sent as the text itself. When the
 * prompt's input schema says what the variable is (`types`, from `declaredTypes`) and text is not
 * one of them, `36` is sent as a number and `true`/`false` as a boolean, so the schema's
 * `"type": "integer"` can be met from a text box; a variable the schema declares text only is
 * always sent as typed.
 */
export function variableValue(text: string, types: readonly string[] | null = null): unknown {
  const trimmed = text.trim();
  if (types !== null && types.length > 0) {
    if (types.includes("string")) {
      if (types.every((type) => type === "string")) return text;
    } else {
      const scalar = scalarValue(trimmed, types);
      if (scalar !== undefined) return scalar;
    }
  }
  if ((trimmed.startsWith("[") && trimmed.endsWith("]")) || (trimmed.startsWith("{") && trimmed.endsWith("}"))) {
    try {
      return JSON.parse(trimmed) as unknown;
    } catch {
      return text;
    }
  }
  return text;
}

/** `36` for number or integer, `true`/`false` for boolean, `null` for null; undefined when the text is none of the types. */
function scalarValue(trimmed: string, types: readonly string[]): unknown {
  if ((types.includes("number") || types.includes("integer")) && /^-?\d+(\.\d+)?([eE][+-]?\d+)?$/.test(trimmed)) return Number(trimmed);
  if (types.includes("boolean") && (trimmed === "true" || trimmed === "false")) return trimmed === "true";
  if (types.includes("null") && trimmed === "null") return null;
  return undefined;
}

/**
 * The JSON types an input schema declares for a variable (`user.name` through the properties of
 * `user`), or null when it says nothing usable (no schema, no such property, no `type`).
 */
export function declaredTypes(schema: Readonly<Record<string, unknown>> | null | undefined, name: string): string[] | null {
  let node: unknown = schema;
  for (const key of name.split(".")) {
    const properties = isObject(node) ? node.properties : undefined;
    node = isObject(properties) && Object.hasOwn(properties, key) ? properties[key] : undefined;
  }
  if (!isObject(node)) return null;
  const type = node.type;
  if (typeof type === "string") return [type];
  return Array.isArray(type) && type.every((entry) => typeof entry === "string") ? type : null;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

const UNSAFE_KEYS = new Set(["__proto__", "prototype", "constructor"]);

/**
 * The variables to send: the given names that have a value, each parsed by `variableValue` (as the
 * input schema, if any, declares it).
 * A dotted name (`user.name`) becomes a nested object, as Mustache looks it up.
 */
export function toVariables(
  names: readonly string[],
  values: Readonly<Record<string, string>>,
  schema: Readonly<Record<string, unknown>> | null = null,
): Record<string, unknown> {
  const result: Record<string, unknown> = {};
  // Shorter paths first: `user` as a whole wins over `user.name`.
  const ordered = [...names].sort((a, b) => a.split(".").length - b.split(".").length);
  for (const name of ordered) {
    const text = values[name];
    if (text === undefined) continue;
    const path = name.split(".");
    if (path.some((key) => key === "" || UNSAFE_KEYS.has(key))) {
      if (!UNSAFE_KEYS.has(name)) result[name] = variableValue(text, declaredTypes(schema, name));
      continue;
    }
    assign(result, path, variableValue(text, declaredTypes(schema, name)));
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

interface InputIssue {
  path: string;
  message: string;
}

function inputIssuesOf(error: unknown): InputIssue[] {
  const data = isObject(error) && isObject(error.data) ? error.data : null;
  const failures = data && Array.isArray(data.inputErrors) ? data.inputErrors : [];
  return failures.flatMap((failure) =>
    isObject(failure) && Array.isArray(failure.issues)
      ? failure.issues.filter((issue): issue is InputIssue => isObject(issue) && typeof issue.path === "string" && typeof issue.message === "string")
      : [],
  );
}

/**
 * An execution refused by the prompt's input schema (`error.data.inputErrors`), as an error under
 * each variable's input: `age: must be an integer` under "age", a missing required property under
 * the variable it names. Issues about no listed variable stay in the message above the form.
 */
export function inputErrorsByVariable(error: unknown, names: readonly string[]): Record<string, string> {
  const result: Record<string, string> = {};
  const add = (name: string, message: string) => {
    const sentence = `${message.charAt(0).toUpperCase()}${message.slice(1)}.`;
    result[name] = result[name] ? `${result[name]} ${sentence}` : sentence;
  };
  for (const issue of inputIssuesOf(error)) {
    const missing = /^is missing the required property "(.+)"$/.exec(issue.message)?.[1];
    const path = issue.path === "(root)" ? "" : issue.path;
    if (missing !== undefined) {
      const name = path === "" ? missing : `${path}.${missing}`;
      if (names.includes(name)) add(name, "required by the prompt's input schema");
      continue;
    }
    const name = names.find((candidate) => path === candidate || path.startsWith(`${candidate}.`) || path.startsWith(`${candidate}[`));
    if (name !== undefined) add(name, path === name ? issue.message : `${path.slice(name.length).replace(/^\./, "")}: ${issue.message}`);
  }
  return result;
}
