import Mustache from "mustache";
import { TRPCError } from "@trpc/server";

/**
 * Prompt templates use Mustache syntax (https://mustache.github.io/mustache.5.html). This is the one
 * renderer of Sigil: `prompts.preview` and the execution worker's `template` provider must both
 * call `renderTemplate`, so what a user previews is what runs.
 *
 * Differences from `Mustache.render`, all deliberate:
 * - **No HTML escaping.** Prompts are plain text sent to a model, not HTML: `{{x}}` and `{{{x}}}`
 *   both insert the value as is (`a < b` stays `a < b`, not `a &lt; b`).
 * - **Values are JSON.** Strings are inserted as is, numbers and booleans as text, objects and
 *   arrays as JSON (never `[object Object]`).
 * - **Any name is just a name.** Lookups see only the view's own keys (`ViewContext`): `{{constructor}}`,
 *   `{{toString}}`, `{{__proto__}}` or `{{hasOwnProperty}}` render the input's value or nothing, and
 *   never reach a JavaScript method. (Mustache's own lookup caches in a plain object, so a variable
 *   named `hasOwnProperty` broke every later lookup with "hasOwnProperty is not a function".)
 * - **Bounded work.** Sections over arrays multiply: `{{#a}}{{#a}}{{#a}}…` with a 100-item `a` would
 *   run for hours. Rendering stops with a TemplateError after `MAX_RENDER_STEPS` tokens or
 *   `MAX_RENDER_OUTPUT` characters of output (worst case ≈ 150 ms of CPU; rendering is synchronous).
 * - **No shared cache.** Each call parses with its own Writer; Mustache's global template cache
 *   would keep every tenant's templates in memory forever.
 * - Partials (`{{> name}}`) render nothing: Sigil has no partials.
 */

export const MAX_RENDER_STEPS = 500_000;
export const MAX_RENDER_OUTPUT = 1_000_000;
const TAGS: [string, string] = ["{{", "}}"];

/** A template that cannot be parsed or rendered; the message is written for the person who wrote it. */
export class TemplateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TemplateError";
  }
}

type Token = [string, string, number, number, ...unknown[]];

/** Parses once to check syntax; throws TemplateError with Mustache's message (e.g. `Unclosed section "a" at 6`). */
export function parseTemplate(template: string): Token[] {
  try {
    return new Mustache.Writer().parse(template, TAGS) as Token[];
  } catch (error) {
    throw new TemplateError(`The template cannot be parsed: ${error instanceof Error ? error.message : String(error)}.`);
  }
}

/**
 * The variables a caller supplies: the names the template looks up at the top level, in order of
 * first use, without duplicates. Sections define their own scope, as Mustache renders them:
 * - `{{#items}}…{{/items}}` is one variable (a list, an object or a flag); the names inside resolve
 *   against each item first, so they are the items' fields and are not listed (`{{name}}` inside
 *   `{{#items}}` is not an input of its own). Nested sections inside are the items' too.
 * - `{{^items}}…{{/items}}` renders only when `items` is empty or false, with no item to look in:
 *   the names inside are top-level and listed.
 * - Dotted names (`{{user.name}}`) are listed as written; partials (`{{> x}}`) and `{{.}}` are not.
 */
export function templateVariables(template: string): string[] {
  return templateVariableUses(template).map((use) => use.name);
}

/** A variable of `templateVariables` and whether any use of it is a section (`{{#x}}`, `{{^x}}`): a list, an object or a flag. */
export interface VariableUse {
  name: string;
  section: boolean;
}

/** `templateVariables` with how each name is used, for drafting an input schema. */
export function templateVariableUses(template: string): VariableUse[] {
  const uses = new Map<string, VariableUse>();
  const walk = (tokens: Token[]): void => {
    for (const token of tokens) {
      const [type, value] = token;
      if (type === "name" || type === "&" || type === "#" || type === "^") {
        const name = value.trim();
        if (name !== "" && name !== ".") {
          const use = uses.get(name) ?? { name, section: false };
          use.section ||= type === "#" || type === "^";
          uses.set(name, use);
        }
      }
      const children = token[4];
      if (type === "^" && Array.isArray(children)) walk(children as Token[]);
    }
  };
  walk(parseTemplate(template));
  return [...uses.values()];
}

export interface RenderedTemplate {
  text: string;
  variables: string[];
}

/** Renders a template with variables (see the module comment for the rules). Throws TemplateError. */
export function renderTemplate(template: string, variables: Record<string, unknown>): string {
  const tokens = parseTemplate(template);
  const writer = new BoundedWriter();
  try {
    return writer.renderTokens(tokens as string[][], new ViewContext(toView(variables)), undefined, template);
  } catch (error) {
    if (error instanceof TemplateError) throw error;
    // A JavaScript error here is a bug of ours; its text is not written for the template's author.
    console.error("Template rendering failed unexpectedly:", error);
    throw new TemplateError("The template cannot be rendered.");
  }
}

/** Renders and lists the variables in one call (prompts.preview). */
export function previewTemplate(template: string, variables: Record<string, unknown>): RenderedTemplate {
  return { text: renderTemplate(template, variables), variables: templateVariables(template) };
}

/** A TemplateError as the client sees it. */
export function templateErrorToTRPC(error: unknown): unknown {
  return error instanceof TemplateError ? new TRPCError({ code: "BAD_REQUEST", message: error.message, cause: error }) : error;
}

/** Runs `fn` and turns a TemplateError into a BAD_REQUEST. */
export function withTemplateErrors<R>(fn: () => R): R {
  try {
    return fn();
  } catch (error) {
    throw templateErrorToTRPC(error);
  }
}

/**
 * Mustache's context stack with a lookup that sees only own keys of the view (prototype-less copies
 * made by `toView`): no cache object whose methods a variable name could shadow, no inherited or
 * primitive properties, no functions called. A dotted name (`a.b`) walks own keys from each context
 * outwards, like Mustache; `.` is the current item.
 */
class ViewContext extends Mustache.Context {
  override push(view: unknown): ViewContext {
    return new ViewContext(view, this);
  }

  override lookup(name: string): unknown {
    if (name === ".") return this.view;
    const path = name.split(".");
    const hit = ownPath(this.view, path);
    if (hit.found) return hit.value;
    return this.parent ? this.parent.lookup(name) : undefined;
  }
}

function ownPath(view: unknown, path: readonly string[]): { found: boolean; value: unknown } {
  let value = view;
  for (const key of path) {
    if (value === null || typeof value !== "object" || !Object.hasOwn(value, key)) return { found: false, value: undefined };
    value = (value as Record<string, unknown>)[key];
  }
  return { found: true, value };
}

class BoundedWriter extends Mustache.Writer {
  private steps = 0;
  private output = 0;

  override renderTokens(...args: Parameters<InstanceType<typeof Mustache.Writer>["renderTokens"]>): string {
    this.steps += args[0].length + 1;
    if (this.steps > MAX_RENDER_STEPS) {
      throw new TemplateError(
        `Rendering stopped: the template needs more than ${MAX_RENDER_STEPS.toLocaleString("en")} steps (nested sections over long lists).`,
      );
    }
    return super.renderTokens(...args);
  }

  override rawValue(token: string[]): string {
    return this.count(super.rawValue(token));
  }

  override escapedValue(token: string[], context: InstanceType<typeof Mustache.Context>): string {
    return this.value(token, context);
  }

  override unescapedValue(token: string[], context: InstanceType<typeof Mustache.Context>): string {
    return this.value(token, context);
  }

  private value(token: string[], context: InstanceType<typeof Mustache.Context>): string {
    const value: unknown = context.lookup(token[1] ?? "");
    // A missing value renders nothing, like Mustache; so does null.
    if (value === undefined || value === null) return "";
    return this.count(toText(value));
  }

  /** Every character of the output comes from exactly one leaf: their sum bounds the output. */
  private count(text: string): string {
    this.output += text.length;
    if (this.output > MAX_RENDER_OUTPUT) {
      throw new TemplateError(`Rendering stopped: the output would exceed ${MAX_RENDER_OUTPUT.toLocaleString("en")} characters.`);
    }
    return text;
  }
}

function toText(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") return String(value);
  return JSON.stringify(value) ?? "";
}

/** A prototype-less deep copy, so lookups only ever find the caller's own keys. */
function toView(value: unknown): unknown {
  if (Array.isArray(value)) {
    const copy = value.map(toView);
    Object.setPrototypeOf(copy, null);
    return copy;
  }
  if (value !== null && typeof value === "object") {
    const copy = Object.create(null) as Record<string, unknown>;
    for (const [key, item] of Object.entries(value)) copy[key] = toView(item);
    return copy;
  }
  return value;
}
