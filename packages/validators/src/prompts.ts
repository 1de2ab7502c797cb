import { z } from "zod";
import { id, name, pagination, variables } from "./common.ts";

export const MAX_TEMPLATE_LENGTH = 100_000;
export const MAX_PROMPT_NAME_LENGTH = 200;
export const MAX_PROMPT_DESCRIPTION_LENGTH = 2_000;
const template = z.string().min(1, "The template is empty.").max(MAX_TEMPLATE_LENGTH, `At most ${MAX_TEMPLATE_LENGTH} characters.`);
/** A JSON Schema object: for structured responses, or for the input variables. */
const jsonSchema = z.record(z.string(), z.unknown()).nullable();

export const MAX_CHANGE_NOTE_LENGTH = 200;
/** Why a version was made, in a sentence; optional (Sigil notes "create", "update" or "restore of vN" without one). */
export const changeNote = z
  .string()
  .trim()
  .max(MAX_CHANGE_NOTE_LENGTH, `A change note is at most ${MAX_CHANGE_NOTE_LENGTH} characters.`)
  .optional()
  .transform((note) => (note === "" ? undefined : note));

export const createPromptInput = z.object({
  name: name(MAX_PROMPT_NAME_LENGTH),
  description: z.string().trim().max(MAX_PROMPT_DESCRIPTION_LENGTH).default(""),
  template,
  responseSchema: jsonSchema.optional(),
  inputSchema: jsonSchema.optional(),
  acceptsFiles: z.boolean().default(false),
  changeNote,
});
export const updatePromptInput = z.object({
  id,
  name: name(MAX_PROMPT_NAME_LENGTH).optional(),
  description: z.string().trim().max(MAX_PROMPT_DESCRIPTION_LENGTH).optional(),
  template: template.optional(),
  responseSchema: jsonSchema.optional(),
  inputSchema: jsonSchema.optional(),
  acceptsFiles: z.boolean().optional(),
  changeNote,
});
/** A response or input schema to check without saving it (the prompt editor's live check). */
export const checkResponseSchemaInput = z.object({ schema: z.record(z.string(), z.unknown()), subject: z.enum(["response", "input"]).default("response") });
/** A template to draft an input schema from (the prompt editor's "Generate from template"). */
export const draftInputSchemaInput = z.object({ template });
export const listPromptsInput = pagination.extend({ query: z.string().trim().max(200).optional() });
export const promptIdInput = z.object({ id });
export const promptVersionInput = z.object({ id, version: z.int().min(1) });
export const restoreVersionInput = promptVersionInput.extend({ changeNote });
/**
 * Deleting a prompt; `deleteDeployments` (admins only): the ids of the deployments the person agreed
 * to delete with it, as the confirmation listed them. Deployments that differ refuse the delete.
 */
export const deletePromptInput = z.object({ id, deleteDeployments: z.array(id).max(1_000).optional() });
export const previewInput = z.union([z.object({ template, variables }), z.object({ id, version: z.int().min(1).optional(), variables })]);
/**
 * A prompt version by the prompt's name: the current one, `version`, or the one a deployment named
 * `label` runs (its pinned version, or the current one when it follows the latest).
 */
export const promptByNameInput = z
  .object({
    name: z.string().trim().min(1, "A name is required.").max(200, "At most 200 characters."),
    version: z.int().min(1).optional(),
    label: z.string().trim().min(1).max(100).optional(),
  })
  .refine((value) => value.version === undefined || value.label === undefined, "Give a version or a label, not both.");
