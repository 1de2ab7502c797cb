import { z } from "zod";
import { id, name, pagination, variables } from "./common.ts";

export const MAX_TEMPLATE_LENGTH = 100_000;
export const MAX_PROMPT_NAME_LENGTH = 200;
export const MAX_PROMPT_DESCRIPTION_LENGTH = 2_000;
const template = z.string().min(1, "The template is empty.").max(MAX_TEMPLATE_LENGTH, `At most ${MAX_TEMPLATE_LENGTH} characters.`);
/** A JSON Schema object for structured responses. */
const responseSchema = z.record(z.string(), z.unknown()).nullable();

export const createPromptInput = z.object({
  name: name(MAX_PROMPT_NAME_LENGTH),
  description: z.string().trim().max(MAX_PROMPT_DESCRIPTION_LENGTH).default(""),
  template,
  responseSchema: responseSchema.optional(),
  acceptsFiles: z.boolean().default(false),
});
export const updatePromptInput = z.object({
  id,
  name: name(MAX_PROMPT_NAME_LENGTH).optional(),
  description: z.string().trim().max(MAX_PROMPT_DESCRIPTION_LENGTH).optional(),
  template: template.optional(),
  responseSchema: responseSchema.optional(),
  acceptsFiles: z.boolean().optional(),
});
export const listPromptsInput = pagination.extend({ query: z.string().trim().max(200).optional() });
export const promptIdInput = z.object({ id });
export const promptVersionInput = z.object({ id, version: z.int().min(1) });
export const previewInput = z.union([z.object({ template, variables }), z.object({ id, version: z.int().min(1).optional(), variables })]);
