import type { PromptVersionRow } from "@sigil/db";
import { describeIssues, describeSchemaProblem, validateJsonValue, type SchemaIssue } from "@sigil/validators/json-schema";
import { InputSchemaTRPCError, type InputSchemaFailure } from "../errors.ts";
import { compiledSchema } from "./compiled-schemas.ts";

/**
 * A prompt version's input schema is checked against an execution's variables before anything is
 * written (executions.create, deployments.run, batchRuns.create), as hypersigil checked
 * json_schema_input: variables a template was not written for are refused with what is wrong,
 * instead of costing a provider call that answers nonsense.
 */

/** Dataset items named one by one in a batch run's message; the rest are counted (all are in `inputErrors`). */
const ITEMS_IN_MESSAGE = 5;
/** Failing items returned with a refused batch run: enough to fix a dataset, bounded for the response. */
const MAX_ITEM_FAILURES = 200;

type SchemaVersion = Pick<PromptVersionRow, "name" | "version" | "inputSchema">;

/** What is wrong with `input` for this version: empty when it follows the schema, or the version has none. */
export function inputIssues(version: Pick<PromptVersionRow, "inputSchema">, input: Record<string, unknown>): SchemaIssue[] {
  if (version.inputSchema === null) return [];
  const validate = compiledSchema(version.inputSchema);
  if (typeof validate !== "function") return [{ path: "(schema)", message: describeSchemaProblem(validate, "input") }];
  return validateJsonValue(validate, input).issues;
}

/** A single execution's variables must follow the version's input schema: a 400 naming each issue. */
export function assertInputFollowsSchema(version: SchemaVersion, input: Record<string, unknown>): void {
  const issues = inputIssues(version, input);
  if (issues.length === 0) return;
  throw new InputSchemaTRPCError(
    `The input does not follow the input schema of prompt "${version.name}" (version ${version.version}): ${describeIssues(issues)}.`,
    [{ itemId: null, itemNumber: null, version: version.version, issues }],
  );
}

/**
 * Every dataset item must follow the input schema of every version a batch run targets; otherwise
 * the run is refused whole (400) with the failing items, so a run never starts half-valid.
 */
export function assertItemsFollowSchemas(
  versions: readonly SchemaVersion[],
  items: readonly { id: string; position: number; variables: Record<string, unknown> }[],
): void {
  const failures: InputSchemaFailure[] = [];
  let failing = 0;
  for (const item of items) {
    let itemFails = false;
    for (const version of versions) {
      const issues = inputIssues(version, item.variables);
      if (issues.length === 0) continue;
      itemFails = true;
      if (failures.length < MAX_ITEM_FAILURES) failures.push({ itemId: item.id, itemNumber: item.position + 1, version: version.version, issues });
    }
    if (itemFails) failing += 1;
  }
  if (failing === 0) return;
  const named = failures
    .slice(0, ITEMS_IN_MESSAGE)
    .map((failure) => `item ${failure.itemNumber ?? "?"} (version ${failure.version}): ${describeIssues(failure.issues)}`);
  const more = failures.length > ITEMS_IN_MESSAGE ? `; and ${failures.length - ITEMS_IN_MESSAGE} more` : "";
  throw new InputSchemaTRPCError(
    `${failing === 1 ? "1 dataset item" : `${failing} dataset items`} of ${items.length} ${failing === 1 ? "does" : "do"} not follow the prompt's input schema, so the run was not started: ${named.join("; ")}${more}. Fix the items or the schema and start the run again.`,
    failures,
  );
}
