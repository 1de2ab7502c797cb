import { z } from "zod";
import { id, name, pagination, variables } from "./common.ts";

export const MAX_TEMPLATE_LENGTH = 100_000;
const template = z.string().min(1, "The template is empty.").max(MAX_TEMPLATE_LENGTH, `At most ${MAX_TEMPLATE_LENGTH} characters.`);
/** A JSON Schema object for structured responses. */
const responseSchema = z.record(z.string(), z.unknown()).nullable();

export const MAX_CHANGE_NOTE_LENGTH = 200;
/** Why a version was made, in a sentence; optional (Sigil notes "create", "update" or "restore of vN" without one). */
export const changeNote = z
  .string()
  .trim()
  .max(MAX_CHANGE_NOTE_LENGTH, `A change note is at most ${MAX_CHANGE_NOTE_LENGTH} characters.`)
  .optional()
  .transform((note) => (note === "" ? undefined : note));

export const createPromptInput = z.object({
  name: name(200),
  description: z.string().trim().max(2_000).default(""),
  template,
  responseSchema: responseSchema.optional(),
  acceptsFiles: z.boolean().default(false),
  changeNote,
});
export const updatePromptInput = z.object({
  id,
  name: name(200).optional(),
  description: z.string().trim().max(2_000).optional(),
  template: template.optional(),
  responseSchema: responseSchema.optional(),
  acceptsFiles: z.boolean().optional(),
  changeNote,
});
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
