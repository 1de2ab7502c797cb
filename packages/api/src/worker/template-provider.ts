import { TEMPLATE_PROVIDER } from "../services/executions.ts";
import { renderTemplate } from "../services/templates.ts";
import type { ExecutionProvider, ProviderFile, ProviderRequest, ProviderResult } from "./provider.ts";

/** How an attached file appears to a template: `{{#files}}{{name}}: {{text}}{{/files}}`. */
export interface TemplateFile {
  name: string;
  mimeType: string;
  size: number;
  /** The UTF-8 content for `text/*` files; empty for anything else. */
  text: string;
}

export function toTemplateFiles(files: readonly ProviderFile[]): TemplateFile[] {
  return files.map((file) => ({
    name: file.name,
    mimeType: file.mimeType,
    size: file.content.byteLength,
    text: isTextMimeType(file.mimeType) ? file.content.toString("utf8") : "",
  }));
}

function isTextMimeType(mimeType: string): boolean {
  return mimeType.trim().toLowerCase().startsWith("text/");
}

/**
 * The variables a template sees: the input, plus `files` (the attached files). When files are
 * attached, `files` is always them; without attachments an input variable named `files` is kept
 * (and `files` is `[]` if the input has none).
 */
export function templateView(input: Record<string, unknown>, files: readonly ProviderFile[]): Record<string, unknown> {
  return files.length > 0 ? { ...input, files: toTemplateFiles(files) } : { files: [], ...input };
}

/**
 * Renders the request's template with its input and files: what the `template` provider returns
 * and what the OpenAI-compatible provider sends. It uses Sigil's one renderer (services/templates.ts:
 * Mustache syntax, no HTML escaping, values as JSON, bounded work), so `prompts.preview` shows
 * exactly what runs. A template that cannot be parsed or rendered throws its TemplateError.
 */
export function renderRequest(request: ProviderRequest): string {
  return renderTemplate(request.template, templateView(request.input, request.files));
}

/** The built-in provider: the output is the rendered template. */
export const templateProvider: ExecutionProvider = {
  name: TEMPLATE_PROVIDER,
  kind: "template",
  async run(request: ProviderRequest, signal: AbortSignal): Promise<ProviderResult> {
    signal.throwIfAborted();
    return { output: renderRequest(request) };
  },
};
