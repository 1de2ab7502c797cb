import { templateVariableUses } from "./templates.ts";

/** What a variable inserted as text may be: objects and arrays would be inserted as JSON, rarely what a template means. */
const TEXT_VALUE = { type: ["string", "number", "boolean"] } as const;
/** What a section may iterate or test. */
const SECTION_VALUE = { type: ["array", "object", "boolean"] } as const;

type SchemaNode = Record<string, unknown> & { properties?: Record<string, SchemaNode>; required?: string[] };

/**
 * A first input schema for a template (the prompt editor's "Generate from template"): every
 * variable required, plain ones as text, sections as lists, objects or flags, dotted names
 * (`user.name`) as nested objects. A draft to tighten by hand, not a guess at the author's intent:
 * it accepts every input the template renders sensibly, and extra variables (a dataset's other
 * columns) stay allowed.
 */
export function inputSchemaFromTemplate(template: string): Record<string, unknown> {
  const root: SchemaNode = { type: "object", properties: {}, required: [] };
  for (const use of templateVariableUses(template)) {
    const path = use.name.split(".");
    place(root, path, use.section ? SECTION_VALUE : TEXT_VALUE);
  }
  return root;
}

/** Puts `leaf` at `path` under `node`, making objects on the way; a name already given another shape keeps it. */
function place(node: SchemaNode, path: readonly string[], leaf: Record<string, unknown>): void {
  const [key, ...rest] = path;
  if (key === undefined || key === "") return;
  const properties = (node.properties ??= {});
  const required = (node.required ??= []);
  if (!required.includes(key)) required.push(key);
  if (rest.length === 0) {
    properties[key] ??= { ...leaf };
    return;
  }
  const existing = properties[key];
  if (existing === undefined) {
    const child: SchemaNode = { type: "object", properties: {}, required: [] };
    properties[key] = child;
    place(child, rest, leaf);
  } else if (existing.type === "object") {
    place(existing, rest, leaf);
  }
}
