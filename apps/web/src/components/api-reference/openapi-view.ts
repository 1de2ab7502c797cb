import { z } from "zod";

/**
 * What the API reference page reads of the OpenAPI document the API generates
 * (packages/api/src/rest/openapi.ts), checked on the way in, and pure helpers to show it.
 */
const schemaObject: z.ZodType<JsonSchema> = z.lazy(() =>
  z.looseObject({
    $ref: z.string().optional(),
    type: z.union([z.string(), z.array(z.string())]).optional(),
    format: z.string().optional(),
    description: z.string().optional(),
    enum: z.array(z.unknown()).optional(),
    items: schemaObject.optional(),
    anyOf: z.array(schemaObject).optional(),
    properties: z.record(z.string(), schemaObject).optional(),
    required: z.array(z.string()).optional(),
    default: z.unknown().optional(),
    minimum: z.number().optional(),
    maximum: z.number().optional(),
    maxLength: z.number().optional(),
    examples: z.array(z.unknown()).optional(),
  }),
);

export interface JsonSchema {
  $ref?: string | undefined;
  type?: string | string[] | undefined;
  format?: string | undefined;
  description?: string | undefined;
  enum?: unknown[] | undefined;
  items?: JsonSchema | undefined;
  anyOf?: JsonSchema[] | undefined;
  properties?: Record<string, JsonSchema> | undefined;
  required?: string[] | undefined;
  default?: unknown;
  minimum?: number | undefined;
  maximum?: number | undefined;
  maxLength?: number | undefined;
  examples?: unknown[] | undefined;
}

const parameter = z.looseObject({
  $ref: z.string().optional(),
  name: z.string().optional(),
  in: z.string().optional(),
  required: z.boolean().optional(),
  description: z.string().optional(),
  schema: schemaObject.optional(),
});
const operation = z.looseObject({
  operationId: z.string(),
  summary: z.string(),
  description: z.string().optional(),
  tags: z.array(z.string()).default([]),
  parameters: z.array(parameter).default([]),
  requestBody: z.looseObject({ content: z.record(z.string(), z.looseObject({ schema: schemaObject })) }).optional(),
  responses: z.record(
    z.string(),
    z.looseObject({ description: z.string(), content: z.record(z.string(), z.looseObject({ schema: schemaObject })).optional() }),
  ),
});
export const apiDocument = z.looseObject({
  openapi: z.string(),
  info: z.looseObject({ title: z.string(), version: z.string(), description: z.string().optional() }),
  paths: z.record(
    z.string(),
    z.looseObject({
      get: operation.optional(),
      post: operation.optional(),
      put: operation.optional(),
      patch: operation.optional(),
      delete: operation.optional(),
    }),
  ),
  components: z.looseObject({
    schemas: z.record(z.string(), schemaObject).default({}),
    parameters: z.record(z.string(), parameter).default({}),
  }),
});
export type ApiDocument = z.infer<typeof apiDocument>;
type Operation = z.infer<typeof operation>;
type Parameter = z.infer<typeof parameter>;

export interface OperationView {
  id: string;
  method: string;
  path: string;
  tag: string;
  operation: Operation;
  parameters: Parameter[];
  body: JsonSchema | null;
}

const METHODS = ["get", "post", "put", "patch", "delete"] as const;

/** Every operation in document order, grouped by its first tag, `$ref` parameters resolved. */
export function operationsOf(document: ApiDocument): OperationView[] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    METHODS.flatMap((method) => {
      const found = item[method];
      if (!found) return [];
      const parameters = found.parameters.map((entry) => (entry.$ref ? (document.components.parameters[refName(entry.$ref)] ?? entry) : entry));
      return [
        {
          id: found.operationId,
          method: method.toUpperCase(),
          path,
          tag: found.tags[0] ?? "other",
          operation: found,
          parameters,
          body: found.requestBody?.content["application/json"]?.schema ?? null,
        },
      ];
    }),
  );
}

export function refName(ref: string): string {
  return ref.slice(ref.lastIndexOf("/") + 1);
}

/** A schema's type in a few words: `string (uuid)`, `array of Execution`, `integer | null`. */
export function typeLabel(schema: JsonSchema): string {
  if (schema.$ref) return refName(schema.$ref);
  if (schema.anyOf) return schema.anyOf.map(typeLabel).join(" | ");
  if (schema.enum) return schema.enum.map((value) => JSON.stringify(value)).join(" | ");
  const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  const base = types
    .map((type) => {
      if (type === "array") return `array of ${schema.items ? typeLabel(schema.items) : "values"}`;
      if (type === "object" && !schema.properties) return "object (any keys)";
      return type;
    })
    .join(" | ");
  const label = base === "" ? "any JSON" : base;
  return schema.format && schema.format !== "uuid" ? `${label} (${schema.format})` : schema.format === "uuid" ? `${label} (id)` : label;
}

export interface PropertyRow {
  name: string;
  type: string;
  /** The schema a `$ref` (directly, in an array, or with null) points to, for a link. */
  ref: string | null;
  required: boolean;
  description: string;
}

function refOf(schema: JsonSchema): string | null {
  if (schema.$ref) return refName(schema.$ref);
  if (schema.items) return refOf(schema.items);
  for (const option of schema.anyOf ?? []) {
    const found = refOf(option);
    if (found) return found;
  }
  return null;
}

/** The properties of an object schema, one row each; constraints and defaults go into the description. */
export function propertyRows(schema: JsonSchema): PropertyRow[] {
  return Object.entries(schema.properties ?? {}).map(([name, property]) => {
    const notes = [
      property.description ?? property.anyOf?.find((option) => option.description)?.description,
      property.default !== undefined ? `Default ${JSON.stringify(property.default)}.` : undefined,
      property.maxLength !== undefined ? `At most ${property.maxLength} characters.` : undefined,
    ].filter((note): note is string => note !== undefined);
    return { name, type: typeLabel(property), ref: refOf(property), required: schema.required?.includes(name) ?? false, description: notes.join(" ") };
  });
}

function placeholder(name: string, schema: JsonSchema): unknown {
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  if (type === "integer" || type === "number") return 1;
  if (type === "boolean") return false;
  if (type === "array") return [];
  if (type === "object") return {};
  return `<${name}>`;
}

/**
 * A curl command for the operation against `baseUrl` (…/api/v1): the key from $SIGIL_API_KEY,
 * path parameters and required query parameters as <placeholders>, the body's example (else its
 * required fields).
 */
export function curlExample(view: OperationView, baseUrl: string): string {
  const path = view.path.replace(/\{([^}]+)\}/g, "<$1>");
  const query = view.parameters
    .filter((entry) => entry.in === "query" && entry.required === true && entry.name)
    .map((entry) => `${entry.name ?? ""}=<${entry.name ?? ""}>`)
    .join("&");
  const lines = [
    `curl${view.method === "GET" ? "" : ` -X ${view.method}`} "${baseUrl}${path}${query ? `?${query}` : ""}"`,
    `-H "Authorization: Bearer $SIGIL_API_KEY"`,
  ];
  if (view.body) {
    const body = view.body;
    const example = body.examples?.[0] ?? Object.fromEntries((body.required ?? []).map((name) => [name, placeholder(name, body.properties?.[name] ?? {})]));
    lines.push(`-H "Content-Type: application/json"`, `-d '${JSON.stringify(example)}'`);
  }
  return lines.join(" \\\n  ");
}
