import { promptModel, type PromptRow } from "@sigil/db";
import {
  checkResponseSchemaInput,
  createPromptInput,
  deletePromptInput,
  draftInputSchemaInput,
  listPromptsInput,
  previewInput,
  promptByNameInput,
  promptIdInput,
  promptVersionInput,
  restoreVersionInput,
  updatePromptInput,
} from "@sigil/validators";
import { checkJsonSchema, describeSchemaProblem, type SchemaSubject } from "@sigil/validators/json-schema";
import { TRPCError } from "@trpc/server";
import { authedProcedure } from "../procedures.ts";
import { recordAudit } from "../services/audit.ts";
import { withUniqueName } from "../services/unique-names.ts";
import { resolvePromptVersion } from "../services/executions.ts";
import { toJsonObject } from "../services/json-values.ts";
import { inputSchemaFromTemplate } from "../services/input-schema-draft.ts";
import { parseTemplate, previewTemplate, withTemplateErrors } from "../services/templates.ts";
import { ERRORS } from "../rest/errors.ts";
import { pageOutput, promptOutput, promptVersionOutput } from "../rest/outputs.ts";
import { resolvePromptByName } from "../services/prompt-by-name.ts";
import { router } from "../trpc.ts";

const read = authedProcedure({ role: "viewer", scope: "prompts:read" });
const preview = authedProcedure({ role: "viewer", scope: "prompts:preview" });
const write = authedProcedure({ role: "user" });

const notFound = (id: string) => new TRPCError({ code: "NOT_FOUND", message: `Prompt ${id} does not exist.` });

async function requirePrompt(id: string): Promise<PromptRow> {
  const prompt = await promptModel.findById(id);
  if (!prompt) throw notFound(id);
  return prompt;
}

/** A stored template must parse: a broken one would only fail later, at every execution. */
function assertParses(template: string | undefined): void {
  if (template !== undefined) withTemplateErrors(() => parseTemplate(template));
}

/**
 * A stored response or input schema must compile (Ajv, as the worker checks results and execution
 * creation checks variables): a 400 names the schema, keyword and path at fault.
 */
function checkedSchema(schema: Record<string, unknown> | null | undefined, subject: SchemaSubject): Record<string, unknown> | null | undefined {
  if (!schema) return schema;
  const json = toJsonObject(schema, `${subject}Schema`);
  const problem = checkJsonSchema(json);
  if (problem) throw new TRPCError({ code: "BAD_REQUEST", message: describeSchemaProblem(problem, subject) });
  return json;
}

export const promptsRouter = router({
  create: write.input(createPromptInput).mutation(async ({ ctx, input }) => {
    assertParses(input.template);
    const responseSchema = checkedSchema(input.responseSchema, "response");
    const inputSchema = checkedSchema(input.inputSchema, "input");
    const prompt = await withUniqueName("prompt", input.name, () =>
      promptModel.create(
        {
          name: input.name,
          description: input.description,
          template: input.template,
          responseSchema: responseSchema ?? null,
          inputSchema: inputSchema ?? null,
          acceptsFiles: input.acceptsFiles,
          createdBy: ctx.user.id,
          updatedBy: ctx.user.id,
        },
        input.changeNote,
      ),
    );
    await recordAudit(ctx, "prompt.created", { type: "prompt", id: prompt.id }, { name: prompt.name, version: prompt.currentVersion });
    return prompt;
  }),

  /** Search in name and description (taken literally), most recently changed first. */
  list: read
    .meta({
      openapi: {
        method: "GET",
        path: "/prompts",
        tags: ["prompts"],
        summary: "List prompts",
        description: "Search in name and description (taken literally), most recently changed first.",
        errorResponses: ERRORS.read,
      },
    })
    .input(listPromptsInput.prefault({}))
    .output(pageOutput(promptOutput, "PromptPage"))
    .query(({ input }) => promptModel.search({ query: input.query, page: input.page, pageSize: input.pageSize })),

  get: read
    .meta({
      openapi: {
        method: "GET",
        path: "/prompts/{id}",
        tags: ["prompts"],
        summary: "Get a prompt by id",
        description: "The prompt with its current version's content.",
        errorResponses: ERRORS.read,
      },
    })
    .input(promptIdInput)
    .output(promptOutput)
    .query(({ input }) => requirePrompt(input.id)),

  /** A change of name, description, template, response or input schema or files makes a new version, noted `changeNote`. */
  update: write.input(updatePromptInput).mutation(async ({ ctx, input }) => {
    const { id, changeNote, ...patch } = input;
    assertParses(patch.template);
    const responseSchema = checkedSchema(patch.responseSchema, "response");
    const inputSchema = checkedSchema(patch.inputSchema, "input");
    const before = await requirePrompt(id);
    const updated = await withUniqueName("prompt", patch.name, () =>
      promptModel.update(id, { ...patch, responseSchema, inputSchema, updatedBy: ctx.user.id }, changeNote),
    );
    if (!updated) throw notFound(id);
    if (updated.currentVersion !== before.currentVersion) {
      const changed = (["name", "description", "template", "responseSchema", "inputSchema", "acceptsFiles"] as const).filter(
        (field) => JSON.stringify(before[field]) !== JSON.stringify(updated[field]),
      );
      await recordAudit(ctx, "prompt.updated", { type: "prompt", id }, { version: updated.currentVersion, changed, ...(changeNote ? { changeNote } : {}) });
    }
    return updated;
  }),

  /**
   * Whether a response or input schema compiles, as saving it would check (the editor's live check: the
   * browser cannot run Ajv under the app's Content-Security-Policy). A mutation so that a large
   * schema travels in the body, not the URL; it changes nothing.
   */
  checkResponseSchema: preview.input(checkResponseSchemaInput).mutation(({ input }) => {
    const problem = checkJsonSchema(toJsonObject(input.schema, "schema"));
    return { problem, message: problem ? describeSchemaProblem(problem, input.subject) : null };
  }),

  /**
   * A first input schema for a template: its variables, all required, typed by how the template
   * uses them (services/input-schema-draft.ts). Changes nothing; a mutation so that a long template
   * travels in the body.
   */
  draftInputSchema: preview.input(draftInputSchemaInput).mutation(({ input }) => ({
    schema: withTemplateErrors(() => inputSchemaFromTemplate(input.template)),
  })),

  /** Every version, newest first. */
  versions: read.input(promptIdInput).query(async ({ input }) => {
    await requirePrompt(input.id);
    return promptModel.versions(input.id);
  }),

  getVersion: read.input(promptVersionInput).query(({ input }) => resolvePromptVersion(input.id, input.version)),

  /** Makes an old version current again, as a new version ("restore of vN", with the optional note). */
  restoreVersion: write.input(restoreVersionInput).mutation(async ({ ctx, input }) => {
    await resolvePromptVersion(input.id, input.version);
    const restored = await promptModel.restoreVersion(input.id, input.version, ctx.user.id, input.changeNote);
    await recordAudit(ctx, "prompt.restored", { type: "prompt", id: input.id }, { from: input.version, version: restored.currentVersion });
    return restored;
  }),

  /** What deleting the prompt would take with it: the delete confirmation shows it. */
  deletionImpact: read.input(promptIdInput).query(async ({ input }) => {
    const dependents = await promptModel.dependents(input.id);
    if (!dependents) throw notFound(input.id);
    const { prompt, ...counts } = dependents;
    return { id: prompt.id, name: prompt.name, ...counts };
  }),

  /**
   * Deletes a prompt with its versions and executions (the month's executions still count against
   * the quota). A prompt that deployments use is refused (409) unless an admin confirmed deleting
   * those deployments with it (`deleteDeployments`: their ids, as the confirmation listed them).
   * Check and delete are one transaction (promptModel.deleteUnlessDeployed / deleteWithDeployments),
   * so a deployment created meanwhile is never deleted unseen.
   */
  delete: write.input(deletePromptInput).mutation(async ({ ctx, input }) => {
    if (input.deleteDeployments !== undefined && ctx.user.role !== "admin") {
      throw new TRPCError({ code: "FORBIDDEN", message: "Only an admin can delete a prompt's deployments with it; ask an admin." });
    }
    const deleted =
      input.deleteDeployments === undefined
        ? await promptModel.deleteUnlessDeployed(input.id)
        : await promptModel.deleteWithDeployments(input.id, input.deleteDeployments);
    if (!deleted) throw notFound(input.id);
    const { prompt, versions, executions, deploymentList } = deleted;
    for (const deployment of deploymentList) {
      await recordAudit(ctx, "deployment.deleted", { type: "deployment", id: deployment.id }, { name: deployment.name, withPrompt: prompt.name });
    }
    await recordAudit(
      ctx,
      "prompt.deleted",
      { type: "prompt", id: prompt.id },
      { name: prompt.name, versions, executions, ...(deploymentList.length > 0 ? { deployments: deploymentList.map((deployment) => deployment.name) } : {}) },
    );
    return { ok: true as const, id: prompt.id, deletedDeployments: deploymentList.map((deployment) => deployment.name) };
  }),

  /**
   * Renders a template (given, or a stored prompt version: the current one unless `version`) with
   * variables, and lists the variable names the template uses so a UI can show inputs.
   * A mutation although it changes nothing: a template of up to 100,000 characters does not fit in
   * a GET query string (Node refuses request heads over 16 KB).
   */
  preview: preview.input(previewInput).mutation(async ({ input }) => {
    const variables = toJsonObject(input.variables, "variables");
    if ("template" in input) {
      const result = withTemplateErrors(() => previewTemplate(input.template, variables));
      return { rendered: result.text, variables: result.variables, promptId: null, version: null };
    }
    const version = await resolvePromptVersion(input.id, input.version);
    const result = withTemplateErrors(() => previewTemplate(version.template, variables));
    return { rendered: result.text, variables: result.variables, promptId: version.promptId, version: version.version };
  }),

  /**
   * A prompt version by the prompt's name: the current one, `version`, or the one the deployment
   * named `label` runs (its pinned version, or the current one when it follows the latest).
   */
  getByName: read
    .meta({
      openapi: {
        method: "GET",
        path: "/prompt-versions/by-name",
        tags: ["prompts"],
        summary: "Get a prompt version by the prompt's name",
        description:
          "The current version, or `version`, or the version the deployment named `label` runs (its pinned version, or the current one when it follows the latest).",
        errorResponses: ERRORS.read,
      },
    })
    .input(promptByNameInput)
    .output(promptVersionOutput)
    .query(({ input }) => resolvePromptByName(input)),
});
