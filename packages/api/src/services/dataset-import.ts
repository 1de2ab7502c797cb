import { parse as parseCsv } from "csv-parse/sync";
import type { DatasetItemInput } from "@sigil/db";
import { TRPCError } from "@trpc/server";
import {
  MAX_EXPECTED_OUTPUT_LENGTH,
  MAX_IMPORT_ROWS,
  MAX_ITEM_TAGS,
  MAX_ITEM_VARIABLES,
  MAX_TAG_LENGTH,
  type ImportFormat,
  type ImportMapping,
} from "@sigil/validators";

/**
 * Turning an import's text (CSV, JSON array of objects, JSONL, pasted lines) into dataset items:
 * the columns found, a proposed column → variable mapping, and the items with per-row errors.
 * Pure functions: `datasets.previewImport` shows their result, `datasets.import` writes it.
 */

/** The one column of pasted text: each non-empty line is an item. */
export const TEXT_COLUMN = "text";

export interface SourceRecord {
  /** 1-based: the data row of a CSV (after the header), the element of a JSON array, the line of JSONL or text. */
  row: number;
  values: Record<string, unknown>;
}

export interface RowError {
  row: number;
  message: string;
}

export interface ParsedSource {
  columns: string[];
  records: SourceRecord[];
  /** Rows that could not be read at all (a JSONL line that is not JSON, an array element that is not an object). */
  errors: RowError[];
}

/** The text cannot be read as the format at all (no rows can be shown): a 400 with this message. */
export class ImportSourceError extends Error {}

export function parseSource(format: ImportFormat, content: string): ParsedSource {
  const source =
    format === "csv"
      ? parseCsvSource(content)
      : format === "json"
        ? parseJsonSource(content)
        : format === "jsonl"
          ? parseJsonlSource(content)
          : parseTextSource(content);
  const rows = source.records.length + source.errors.length;
  if (rows === 0) throw new ImportSourceError("The import has no rows.");
  if (rows > MAX_IMPORT_ROWS)
    throw new ImportSourceError(`The import has ${rows} rows; one import takes at most ${MAX_IMPORT_ROWS}. Split it into several files.`);
  return source;
}

function parseCsvSource(content: string): ParsedSource {
  let table: string[][];
  try {
    const rows: unknown = parseCsv(content, { bom: true, skip_empty_lines: true, relax_column_count: false });
    // Without `columns`, csv-parse returns each record as an array of its cells (texts).
    table = rows as string[][];
  } catch (error) {
    throw new ImportSourceError(`The CSV cannot be read: ${error instanceof Error ? error.message : String(error)}`);
  }
  const [header, ...rows] = table;
  if (!header) throw new ImportSourceError("The CSV is empty: its first line must name the columns.");
  const columns = header.map((column) => column.trim());
  const blank = columns.findIndex((column) => column === "");
  if (blank !== -1) throw new ImportSourceError(`Column ${blank + 1} of the CSV header has no name; name every column.`);
  const duplicate = columns.find((column, index) => columns.indexOf(column) !== index);
  if (duplicate !== undefined) throw new ImportSourceError(`The CSV header names the column "${duplicate}" twice; column names must differ.`);
  return {
    columns,
    records: rows.map((cells, index) => ({ row: index + 1, values: Object.fromEntries(columns.map((column, at) => [column, cells[at] ?? ""])) })),
    errors: [],
  };
}

function parseJsonSource(content: string): ParsedSource {
  let value: unknown;
  try {
    value = JSON.parse(content);
  } catch (error) {
    throw new ImportSourceError(`The JSON cannot be read: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!Array.isArray(value)) throw new ImportSourceError('The JSON must be an array of objects, one per item: [{ "question": "…" }, …].');
  return collect(
    (value as unknown[]).map((element, index) => ({ row: index + 1, element })),
    "Element",
  );
}

function parseJsonlSource(content: string): ParsedSource {
  const lines = splitLines(content);
  const errors: RowError[] = [];
  const parsed: { row: number; element: unknown }[] = [];
  for (const { row, text } of lines) {
    try {
      parsed.push({ row, element: JSON.parse(text) });
    } catch (error) {
      errors.push({ row, message: `Line ${row} is not valid JSON: ${error instanceof Error ? error.message : String(error)}` });
    }
  }
  const source = collect(parsed, "Line");
  return { ...source, errors: [...errors, ...source.errors].sort((a, b) => a.row - b.row) };
}

function parseTextSource(content: string): ParsedSource {
  return { columns: [TEXT_COLUMN], records: splitLines(content).map(({ row, text }) => ({ row, values: { [TEXT_COLUMN]: text } })), errors: [] };
}

/** Non-blank lines with their 1-based line numbers (blank lines are skipped, and keep the numbering). */
function splitLines(content: string): { row: number; text: string }[] {
  return content
    .split(/\r?\n/)
    .map((text, index) => ({ row: index + 1, text: text.trim() }))
    .filter((line) => line.text !== "");
}

function collect(elements: { row: number; element: unknown }[], noun: "Element" | "Line"): ParsedSource {
  const columns: string[] = [];
  const seen = new Set<string>();
  const records: SourceRecord[] = [];
  const errors: RowError[] = [];
  for (const { row, element } of elements) {
    if (element === null || typeof element !== "object" || Array.isArray(element)) {
      errors.push({ row, message: `${noun} ${row} is ${describe(element)}, not an object of variables.` });
      continue;
    }
    const values = element as Record<string, unknown>;
    for (const key of Object.keys(values)) {
      if (!seen.has(key)) {
        seen.add(key);
        columns.push(key);
      }
    }
    records.push({ row, values });
  }
  return { columns, records, errors };
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return `a ${typeof value}`;
}

const EXPECTED_NAMES = new Set(["expected", "expected_output", "expectedoutput", "expected output", "expected_result", "answer", "reference"]);
const TAG_NAMES = new Set(["tags", "tag", "labels", "label"]);

/**
 * The mapping proposed for these columns: a column named like an expected output ("expected",
 * "expected_output", "answer"…) holds the expected output, one named "tags"/"labels" the tags,
 * every other column becomes the variable of its own name.
 */
export function proposeMapping(columns: readonly string[]): ImportMapping {
  const normalized = (column: string) => column.trim().toLowerCase();
  const expectedOutput = columns.find((column) => EXPECTED_NAMES.has(normalized(column))) ?? null;
  const tags = columns.find((column) => TAG_NAMES.has(normalized(column))) ?? null;
  const variables: Record<string, string> = {};
  for (const column of columns) {
    if (column !== expectedOutput && column !== tags && Object.keys(variables).length < MAX_ITEM_VARIABLES) variables[column] = column.trim();
  }
  return { variables, expectedOutput, tags };
}

export interface MappedItem extends DatasetItemInput {
  row: number;
}

/** Refuses a mapping that names columns the source does not have, or one variable twice. */
export function mappingProblems(mapping: ImportMapping, columns: readonly string[]): string[] {
  const known = new Set(columns);
  const problems: string[] = [];
  const named = [
    ...Object.keys(mapping.variables),
    ...(mapping.expectedOutput === null ? [] : [mapping.expectedOutput]),
    ...(mapping.tags === null ? [] : [mapping.tags]),
  ];
  const unknown = [...new Set(named.filter((column) => !known.has(column)))];
  if (unknown.length > 0)
    problems.push(`The mapping names column${unknown.length > 1 ? "s" : ""} the import does not have: ${unknown.map((c) => `"${c}"`).join(", ")}.`);
  const variables = Object.values(mapping.variables).map((name) => name.trim());
  const twice = variables.find((name, index) => variables.indexOf(name) !== index);
  if (twice !== undefined) problems.push(`Two columns are mapped to the variable "${twice}"; each variable takes one column.`);
  if (variables.length === 0) problems.push("Map at least one column to a variable.");
  if (variables.length > MAX_ITEM_VARIABLES) problems.push(`An item has at most ${MAX_ITEM_VARIABLES} variables; ${variables.length} are mapped.`);
  return problems;
}

/** Applies the mapping to every record: the items, and the rows that cannot become one (with why). */
export function mapRecords(records: readonly SourceRecord[], mapping: ImportMapping): { items: MappedItem[]; errors: RowError[] } {
  const items: MappedItem[] = [];
  const errors: RowError[] = [];
  for (const record of records) {
    const result = mapRecord(record, mapping);
    if ("error" in result) errors.push({ row: record.row, message: `Row ${record.row}: ${result.error}` });
    else items.push(result.item);
  }
  return { items, errors };
}

function mapRecord(record: SourceRecord, mapping: ImportMapping): { item: MappedItem } | { error: string } {
  const variables: Record<string, unknown> = {};
  for (const [column, variable] of Object.entries(mapping.variables)) {
    const value = record.values[column];
    if (value !== undefined) variables[variable.trim()] = value;
  }
  if (Object.values(variables).every((value) => value === "" || value === null)) return { error: "every mapped variable is empty." };
  let expectedOutput: string | null = null;
  if (mapping.expectedOutput !== null) {
    const value = record.values[mapping.expectedOutput];
    expectedOutput = value === undefined || value === null || value === "" ? null : typeof value === "string" ? value : JSON.stringify(value);
    if (expectedOutput !== null && expectedOutput.length > MAX_EXPECTED_OUTPUT_LENGTH) {
      return { error: `the expected output has ${expectedOutput.length} characters; at most ${MAX_EXPECTED_OUTPUT_LENGTH}.` };
    }
  }
  let tags: string[] = [];
  if (mapping.tags !== null) {
    const parsed = readTags(record.values[mapping.tags]);
    if ("error" in parsed) return parsed;
    tags = parsed.tags;
  }
  return { item: { row: record.row, variables, expectedOutput, tags } };
}

/** Tags from a JSON array of strings, or a text separated by commas, semicolons or pipes. */
export function readTags(value: unknown): { tags: string[] } | { error: string } {
  let list: unknown[];
  if (value === undefined || value === null || value === "") list = [];
  else if (Array.isArray(value)) list = value;
  else if (typeof value === "string") list = value.split(/[,;|]/);
  else return { error: `the tags are ${describe(value)}; give a list of texts or a comma-separated text.` };
  const tags: string[] = [];
  for (const tag of list) {
    if (typeof tag !== "string") return { error: `a tag is ${describe(tag)}; tags are texts.` };
    const trimmed = tag.trim();
    if (trimmed === "") continue;
    if (trimmed.length > MAX_TAG_LENGTH) return { error: `the tag "${trimmed.slice(0, 20)}…" has ${trimmed.length} characters; at most ${MAX_TAG_LENGTH}.` };
    if (!tags.includes(trimmed)) tags.push(trimmed);
  }
  if (tags.length > MAX_ITEM_TAGS) return { error: `${tags.length} tags; an item has at most ${MAX_ITEM_TAGS}.` };
  return { tags };
}

export const PREVIEW_ROWS = 20;
/** Row errors a refused import lists in its message (the preview lists up to MAX_LISTED_ERRORS). */
export const ERRORS_IN_MESSAGE = 5;
export const MAX_LISTED_ERRORS = 100;

const badRequest = (message: string) => new TRPCError({ code: "BAD_REQUEST", message });

function readSource(format: ImportFormat, content: string): ParsedSource {
  try {
    return parseSource(format, content);
  } catch (error) {
    if (error instanceof ImportSourceError) throw badRequest(error.message);
    throw error;
  }
}

/** `datasets.previewImport`: what the import would do, without writing anything. */
export function previewImport(format: ImportFormat, content: string, given: ImportMapping | undefined) {
  const source = readSource(format, content);
  const mapping = given ?? proposeMapping(source.columns);
  const problems = mappingProblems(mapping, source.columns);
  const mapped = problems.length === 0 ? mapRecords(source.records, mapping) : { items: [], errors: [] };
  const errors = [...source.errors, ...mapped.errors].sort((a, b) => a.row - b.row);
  return {
    columns: source.columns,
    mapping,
    mappingProblems: problems,
    totalRows: source.records.length + source.errors.length,
    validRows: mapped.items.length,
    rows: mapped.items.slice(0, PREVIEW_ROWS),
    errors: errors.slice(0, MAX_LISTED_ERRORS),
    errorCount: errors.length,
  };
}

/** `datasets.import`: the items, or a 400 naming the mapping's problems or the first row errors. */
export function readImport(format: ImportFormat, content: string, mapping: ImportMapping): DatasetItemInput[] {
  const source = readSource(format, content);
  const problems = mappingProblems(mapping, source.columns);
  if (problems.length > 0) throw badRequest(problems.join(" "));
  const mapped = mapRecords(source.records, mapping);
  const errors = [...source.errors, ...mapped.errors].sort((a, b) => a.row - b.row);
  if (errors.length > 0) {
    const listed = errors.slice(0, ERRORS_IN_MESSAGE).map((error) => error.message);
    const more = errors.length > listed.length ? ` (and ${errors.length - listed.length} more)` : "";
    throw badRequest(`Nothing was imported: ${errors.length} row${errors.length > 1 ? "s have" : " has"} errors${more}. ${listed.join(" ")}`);
  }
  return mapped.items.map(({ variables, expectedOutput, tags }) => ({ variables, expectedOutput, tags }));
}
