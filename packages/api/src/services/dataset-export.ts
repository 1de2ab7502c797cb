import type { DatasetItemRow, DatasetRow } from "@sigil/db";
import type { ExportFormat } from "@sigil/validators";
import { stringify } from "csv-stringify/sync";

/**
 * A dataset as text to download. CSV: one column per variable (the union over the items, in
 * first-seen order; non-text values as JSON), then `expected_output` and `tags` (comma-separated),
 * so an export imports back with the proposed mapping. JSON / JSONL: one object per item.
 */
export function exportDataset(dataset: DatasetRow, items: readonly DatasetItemRow[], format: ExportFormat) {
  const base = dataset.name.replace(/[^\w.-]+/g, "-").replace(/^-+|-+$/g, "") || "dataset";
  if (format === "csv") {
    const variables: string[] = [];
    for (const item of items) for (const key of Object.keys(item.variables)) if (!variables.includes(key)) variables.push(key);
    const header = [...variables, "expected_output", "tags"];
    const rows = items.map((item) => [...variables.map((key) => csvCell(item.variables[key])), item.expectedOutput ?? "", item.tags.join(", ")]);
    return { fileName: `${base}.csv`, mimeType: "text/csv", content: stringify([header, ...rows]), items: items.length };
  }
  const objects = items.map((item) => ({ variables: item.variables, expected_output: item.expectedOutput, tags: item.tags }));
  if (format === "json")
    return { fileName: `${base}.json`, mimeType: "application/json", content: `${JSON.stringify(objects.map(flatten), null, 2)}\n`, items: items.length };
  return {
    fileName: `${base}.jsonl`,
    mimeType: "application/x-ndjson",
    content: objects.map((object) => `${JSON.stringify(flatten(object))}\n`).join(""),
    items: items.length,
  };
}

/** Variables at the top level, as JSON imports read them. */
function flatten(object: { variables: Record<string, unknown>; expected_output: string | null; tags: string[] }): Record<string, unknown> {
  return { ...object.variables, expected_output: object.expected_output, tags: object.tags };
}

function csvCell(value: unknown): string {
  if (value === undefined || value === null) return "";
  return typeof value === "string" ? value : JSON.stringify(value);
}
