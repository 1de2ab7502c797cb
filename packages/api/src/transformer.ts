import superjson, { type SuperJSONResult } from "superjson";

/**
 * The API's data transformer: superjson on the wire, both ways, with a faster writer for answers.
 *
 * superjson's general walk (custom types, classes, shared references) cost about a sixth of the
 * server's CPU on a 20-row `prompts.list` (docs/benchmarks.md: the HTTP benchmark). API answers
 * are almost always plain objects, arrays, strings, numbers, booleans, null, Dates and
 * undefined; `serializeOutput` writes exactly what `superjson.serialize` writes for those, in one
 * pass, and hands anything else to superjson itself (so a Map, a bigint, NaN, -0, an invalid
 * Date, an object reached twice or a key superjson refuses get superjson's own answer or error).
 * Clients read it with plain superjson (@sigil/client); inputs are read with superjson too.
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Annotation = ["Date"] | ["undefined"];

/** Returned by the walk for a value only superjson knows how to write. */
const UNSUPPORTED: unique symbol = Symbol("unsupported by the fast writer");

/** Keys superjson refuses to write (it throws: a prototype pollution risk). */
function isRefusedKey(key: string): boolean {
  return key === "__proto__" || key === "constructor" || key === "prototype";
}

interface Walk {
  /** Every object met so far: one met twice (a shared reference or a cycle) goes to superjson. */
  readonly seen: Set<object>;
  values: Record<string, Annotation> | undefined;
}

/** A value's path in superjson's syntax: keys joined with ".", "\\" and "." in a key escaped with "\\". */
type Path = string;

function childPath(parent: Path | null, key: string): Path {
  const escaped = key.includes("\\") || key.includes(".") ? key.replace(/\\/g, "\\\\").replace(/\./g, "\\.") : key;
  return parent === null ? escaped : `${parent}.${escaped}`;
}

const DATE: Annotation = ["Date"];
const UNDEFINED: Annotation = ["undefined"];

function annotate(walk: Walk, path: Path, annotation: Annotation): void {
  walk.values ??= {};
  walk.values[path] = annotation;
}

const DAY_MS = 86_400_000;
const FOUR_DIGIT_YEARS = { from: Date.UTC(1000, 0, 1), to: Date.UTC(10_000, 0, 1) };
const pad2 = (n: number) => (n < 10 ? `0${n}` : `${n}`);
const pad3 = (n: number) => (n < 10 ? `00${n}` : n < 100 ? `0${n}` : `${n}`);

/**
 * `date.toISOString()` by arithmetic on the epoch milliseconds (days to a civil date: Howard
 * Hinnant's algorithm), about 3× faster than V8's, which consults its date cache for each part;
 * every row of every answer carries dates. Years outside 1000–9999 (another format) go to V8.
 * The transformer's test compares the two over the whole range.
 */
export function isoString(date: Date): string {
  const ms = date.getTime();
  if (!(ms >= FOUR_DIGIT_YEARS.from && ms < FOUR_DIGIT_YEARS.to)) return date.toISOString();
  const days = Math.floor(ms / DAY_MS);
  let rest = ms - days * DAY_MS;
  const hours = Math.floor(rest / 3_600_000);
  rest -= hours * 3_600_000;
  const minutes = Math.floor(rest / 60_000);
  rest -= minutes * 60_000;
  const seconds = Math.floor(rest / 1_000);
  const millis = rest - seconds * 1_000;
  // Days since 0000-03-01, in 400-year eras of 146,097 days; March-based years put 29 February last.
  const shifted = days + 719_468;
  const era = Math.floor(shifted / 146_097);
  const dayOfEra = shifted - era * 146_097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1_460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const marchMonth = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * marchMonth + 2) / 5) + 1;
  const month = marchMonth < 10 ? marchMonth + 3 : marchMonth - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  return `${year}-${pad2(month)}-${pad2(day)}T${pad2(hours)}:${pad2(minutes)}:${pad2(seconds)}.${pad3(millis)}Z`;
}

function isPlainObject(value: object): value is Record<string, unknown> {
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/**
 * A member of an object or array. Paths are built only for what may need one (objects, Dates,
 * undefined), not for the strings and numbers that make most of an answer.
 */
function writeChild(parent: Path | null, key: string, value: unknown, walk: Walk): Json | typeof UNSUPPORTED {
  if (isRefusedKey(key)) return UNSUPPORTED;
  if (value !== undefined && (typeof value !== "object" || value === null)) return writeValue(value, walk, null);
  return writeValue(value, walk, childPath(parent, key));
}

function writeArray(array: unknown[], walk: Walk, path: Path | null): Json[] | typeof UNSUPPORTED {
  // Holes and named properties on an array: superjson keeps them apart; leave those to it.
  if (Object.keys(array).length !== array.length) return UNSUPPORTED;
  const out: Json[] = new Array<Json>(array.length);
  for (let index = 0; index < array.length; index += 1) {
    const written = writeChild(path, String(index), array[index], walk);
    if (written === UNSUPPORTED) return UNSUPPORTED;
    out[index] = written;
  }
  return out;
}

function writeObject(object: Record<string, unknown>, walk: Walk, path: Path | null): { [key: string]: Json } | typeof UNSUPPORTED {
  const out: { [key: string]: Json } = {};
  for (const key of Object.keys(object)) {
    const written = writeChild(path, key, object[key], walk);
    if (written === UNSUPPORTED) return UNSUPPORTED;
    out[key] = written;
  }
  return out;
}

/** `path`: the value's path, null for the root (and for primitives, which need none). */
function writeValue(value: unknown, walk: Walk, path: Path | null): Json | typeof UNSUPPORTED {
  switch (typeof value) {
    case "string":
    case "boolean":
      return value;
    case "number":
      // NaN, ±Infinity and -0 are annotated by superjson as "number".
      return Number.isFinite(value) && !Object.is(value, -0) ? value : UNSUPPORTED;
    case "undefined":
      // At the root, superjson annotates in a shape of its own.
      if (path === null) return UNSUPPORTED;
      annotate(walk, path, UNDEFINED);
      return null;
    case "object":
      break;
    default:
      // bigint, symbol, function.
      return UNSUPPORTED;
  }
  if (value === null) return null;
  if (walk.seen.has(value)) return UNSUPPORTED;
  walk.seen.add(value);
  if (value instanceof Date) {
    if (path === null || Number.isNaN(value.getTime())) return UNSUPPORTED;
    annotate(walk, path, DATE);
    return isoString(value);
  }
  if (Array.isArray(value)) return Object.getPrototypeOf(value) === Array.prototype ? writeArray(value, walk, path) : UNSUPPORTED;
  return isPlainObject(value) ? writeObject(value, walk, path) : UNSUPPORTED;
}

/** What `superjson.serialize(value)` returns, written faster for plain data (see above). */
export function serializeOutput(value: unknown): SuperJSONResult {
  const walk: Walk = { seen: new Set(), values: undefined };
  const json = writeValue(value, walk, null);
  if (json === UNSUPPORTED) return superjson.serialize(value);
  return walk.values === undefined ? { json } : { json, meta: { values: walk.values, v: 1 } };
}

export const transformer = {
  input: superjson,
  output: { serialize: serializeOutput, deserialize: superjson.deserialize.bind(superjson) },
};
