import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
export type { ValidateFunction } from "ajv";
import { Ajv2020 } from "ajv/dist/2020.js";
import { default as addFormats } from "ajv-formats";

/**
 * JSON Schemas of prompt responses and input variables: checking a schema itself (the prompt
 * editor and the API on save), checking a result against it (the execution worker) and checking
 * an execution's variables against it (the API, before anything is written). One module, so the
 * editor, the API and the worker agree on what a valid schema, result and input are.
 *
 * Drafts: draft-07 by default (what hypersigil's `new Ajv()` checked, so imported schemas keep
 * working), draft 2020-12 when `$schema` names it. Strict mode, as hypersigil's Ajv had: an unknown
 * keyword (`requird`) or format is refused, since Ajv would otherwise ignore it silently.
 */

const DRAFT_07 = "http://json-schema.org/draft-07/schema";
const DRAFT_2020_12 = "https://json-schema.org/draft/2020-12/schema";

/** One reason a result does not follow the schema; `path` is where in the result ("(root)" for all of it). */
export interface SchemaIssue {
  path: string;
  message: string;
}

/** What is wrong with a schema itself: the keyword at fault, where it is in the schema, and why. */
export interface SchemaProblem {
  keyword: string;
  path: string;
  message: string;
}

/** Most issues stored per result: enough to fix it, bounded for the row and the page. */
export const MAX_VALIDATION_ISSUES = 20;

type AnyAjv = Ajv | Ajv2020;

function newAjv(schema: Record<string, unknown>): AnyAjv | SchemaProblem {
  const declared = schema.$schema;
  const options = { allErrors: true, strict: true, strictTypes: false, strictTuples: false, logger: false } as const;
  let ajv: AnyAjv;
  if (declared === undefined || (typeof declared === "string" && declared.replace(/#$/, "") === DRAFT_07)) ajv = new Ajv(options);
  else if (typeof declared === "string" && declared.replace(/#$/, "") === DRAFT_2020_12) ajv = new Ajv2020(options);
  else {
    return {
      keyword: "$schema",
      path: "/$schema",
      message: `Unsupported $schema ${JSON.stringify(declared)}: use "${DRAFT_07}#" or "${DRAFT_2020_12}", or leave it out (draft-07).`,
    };
  }
  addFormats(ajv);
  return ajv;
}

/** Which of a prompt's two schemas a message is about. */
export type SchemaSubject = "response" | "input";

/** The schema's problem as one sentence, e.g. `The input schema is not valid: "type" at /properties/age/type: must be one of: …`. */
export function describeSchemaProblem(problem: SchemaProblem, subject: SchemaSubject = "response"): string {
  return `The ${subject} schema is not valid: "${problem.keyword}" at ${problem.path || "/"}: ${problem.message}`;
}

/**
 * Compiles a schema, or says what is wrong with it (null problem when it is fine). The validator
 * reports every error of a result (`allErrors`), as the execution page lists them.
 */
export function compileJsonSchema(schema: unknown): { validate: ValidateFunction; problem: null } | { validate: null; problem: SchemaProblem } {
  if (typeof schema !== "object" || schema === null || Array.isArray(schema)) {
    return { validate: null, problem: { keyword: "type", path: "/", message: 'A JSON Schema must be a JSON object, like {"type": "object"}.' } };
  }
  const record = schema as Record<string, unknown>;
  const ajv = newAjv(record);
  if (!("compile" in ajv)) return { validate: null, problem: ajv };
  if (!ajv.validateSchema(record)) {
    const errors = ajv.errors ?? [];
    // The deepest error names the keyword at fault; the ones above it (anyOf, …) only repeat it.
    const deepest = [...errors].sort((a, b) => b.instancePath.length - a.instancePath.length)[0];
    if (deepest) return { validate: null, problem: metaSchemaProblem(deepest, errors) };
  }
  try {
    return { validate: ajv.compile(record), problem: null };
  } catch (error) {
    return { validate: null, problem: compileProblem(error instanceof Error ? error.message : String(error), record) };
  }
}

/** Null when the schema is fine; else what is wrong, for a 400 or the editor. */
export function checkJsonSchema(schema: unknown): SchemaProblem | null {
  return compileJsonSchema(schema).problem;
}

function metaSchemaProblem(error: ErrorObject, all: readonly ErrorObject[]): SchemaProblem {
  const segments = error.instancePath.split("/").filter((part) => part !== "");
  const keyword = segments.at(-1) ?? error.keyword;
  const path = error.instancePath || "/";
  // An enum error at the same place says which values are allowed ("type": "strin").
  const allowed = all.find((other) => other.instancePath === error.instancePath && other.keyword === "enum");
  const values = allowed ? (allowed.params as { allowedValues?: unknown[] }).allowedValues : undefined;
  const message = values ? `must be one of: ${values.map((value) => String(value)).join(", ")}.` : `${humanAjvMessage(error)}.`;
  return { keyword, path, message };
}

/** Ajv's compile errors name the keyword or format but not always where: find the first place it is used. */
function compileProblem(message: string, schema: Record<string, unknown>): SchemaProblem {
  const unknownKeyword = /unknown keyword: "([^"]+)"/.exec(message);
  if (unknownKeyword?.[1]) {
    const keyword = unknownKeyword[1];
    return { keyword, path: findKey(schema, keyword) ?? "/", message: `unknown keyword "${keyword}" (a typo? Ajv would ignore it, so it is refused).` };
  }
  const unknownFormat = /unknown format "([^"]+)" ignored in schema at path "#?([^"]*)"/.exec(message);
  if (unknownFormat?.[1] !== undefined) {
    return { keyword: "format", path: `${unknownFormat[2] || ""}/format`, message: `unknown format "${unknownFormat[1]}".` };
  }
  const reference = /can't resolve reference (\S+)/.exec(message);
  if (reference?.[1]) return { keyword: "$ref", path: findKey(schema, "$ref") ?? "/", message: `cannot resolve the reference ${reference[1]}.` };
  return { keyword: "schema", path: "/", message: message.replace(/^strict mode: /, "") };
}

function findKey(value: unknown, key: string, path = ""): string | null {
  if (typeof value !== "object" || value === null) return null;
  for (const [name, child] of Object.entries(value)) {
    const childPath = `${path}/${name.replace(/~/g, "~0").replace(/\//g, "~1")}`;
    if (name === key) return childPath;
    const found = findKey(child, key, childPath);
    if (found) return found;
  }
  return null;
}

/** Ajv's error in words, e.g. `must be a string`, `is missing the required property "name"`. */
function humanAjvMessage(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case "required":
      return `is missing the required property "${String(params.missingProperty)}"`;
    case "type":
      return `must be ${article(String(params.type))}`;
    case "enum":
      return `must be one of: ${Array.isArray(params.allowedValues) ? params.allowedValues.map((value) => JSON.stringify(value)).join(", ") : "the allowed values"}`;
    case "const":
      return `must be ${JSON.stringify(params.allowedValue)}`;
    case "additionalProperties":
      return `has the property "${String(params.additionalProperty)}", which the schema does not allow`;
    case "format":
      return `must be a valid ${String(params.format)}`;
    default:
      return error.message ?? `fails "${error.keyword}"`;
  }
}

function article(type: string): string {
  const words = type.split(",").map((word) => (/^[aeiou]/.test(word) ? `an ${word}` : `a ${word}`));
  return words.join(" or ");
}

/** `/items/0/name` → `items[0].name`; "" → "(root)". */
function readablePath(pointer: string): string {
  if (pointer === "") return "(root)";
  let path = "";
  for (const raw of pointer.split("/").slice(1)) {
    const part = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    path += /^\d+$/.test(part) ? `[${part}]` : path === "" ? part : `.${part}`;
  }
  return path;
}

/** A result's errors in human words, duplicates dropped, at most MAX_VALIDATION_ISSUES. */
export function describeValidationErrors(errors: readonly ErrorObject[]): SchemaIssue[] {
  const issues: SchemaIssue[] = [];
  const seen = new Set<string>();
  for (const error of errors) {
    const issue = { path: readablePath(error.instancePath), message: humanAjvMessage(error) };
    const key = `${issue.path}\u0000${issue.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    issues.push(issue);
    if (issues.length === MAX_VALIDATION_ISSUES) break;
  }
  return issues;
}

/**
 * A provider's output as JSON: the whole text, or the inside of one Markdown code fence
 * (```json … ```), which models add even when asked for bare JSON.
 */
export function parseJsonOutput(output: string): { ok: true; value: unknown } | { ok: false; message: string } {
  const fenced = /^\s*```[a-zA-Z0-9_-]*[ \t]*\r?\n([\s\S]*?)\r?\n?```\s*$/.exec(output);
  const text = fenced?.[1] ?? output;
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    return { ok: false, message: `The output is not JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/** Whether a result follows a compiled schema, with its issues in human words. */
export function validateJsonOutput(validate: ValidateFunction, output: string): { valid: boolean; issues: SchemaIssue[] } {
  const parsed = parseJsonOutput(output);
  if (!parsed.ok) return { valid: false, issues: [{ path: "(root)", message: parsed.message }] };
  return validateJsonValue(validate, parsed.value);
}

/** Whether a JSON value (an execution's variables) follows a compiled schema, with its issues in human words. */
export function validateJsonValue(validate: ValidateFunction, value: unknown): { valid: boolean; issues: SchemaIssue[] } {
  if (validate(value)) return { valid: true, issues: [] };
  return { valid: false, issues: describeValidationErrors(validate.errors ?? []) };
}

/** Issues as one line for an error message: `customer: must be a string; (root): is missing the required property "topic"`. */
export function describeIssues(issues: readonly SchemaIssue[]): string {
  return issues.map((issue) => `${issue.path}: ${issue.message}`).join("; ");
}
