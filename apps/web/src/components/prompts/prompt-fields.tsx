"use client";

import { MAX_PROMPT_DESCRIPTION_LENGTH, MAX_PROMPT_NAME_LENGTH, MAX_TEMPLATE_LENGTH } from "@sigil/validators";
import { characterCount } from "@/components/ui/character-count";
import { Checkbox } from "@/components/ui/checkbox";
import { Field } from "@/components/ui/field";
import { Input, Textarea } from "@/components/ui/input";
import { useHydrated } from "@/components/ui/use-hydrated";
import { readSchemaText, sameSchema, schemaText } from "./response-schema";
import { JsonSchemaField } from "./json-schema-field";

/** The editable content of a prompt (every change of it makes a new version); the schemas as JSON text. */
export interface PromptDraft {
  name: string;
  description: string;
  template: string;
  acceptsFiles: boolean;
  responseSchema: string;
  inputSchema: string;
}

/** A prompt as saved: its schemas as JSON. */
export type SavedPrompt = Omit<PromptDraft, "responseSchema" | "inputSchema"> & {
  responseSchema: Record<string, unknown> | null;
  inputSchema: Record<string, unknown> | null;
};

export const EMPTY_DRAFT: PromptDraft = { name: "", description: "", template: "", acceptsFiles: false, responseSchema: "", inputSchema: "" };

export function draftOf(prompt: SavedPrompt): PromptDraft {
  return {
    name: prompt.name,
    description: prompt.description,
    template: prompt.template,
    acceptsFiles: prompt.acceptsFiles,
    responseSchema: schemaText(prompt.responseSchema),
    inputSchema: schemaText(prompt.inputSchema),
  };
}

/** Whether saving `draft` over `saved` would change anything (the server trims name and description). */
export function draftChanged(draft: PromptDraft, saved: SavedPrompt): boolean {
  return (
    draft.name.trim() !== saved.name ||
    draft.description.trim() !== saved.description ||
    draft.template !== saved.template ||
    draft.acceptsFiles !== saved.acceptsFiles ||
    !sameSchema(draft.responseSchema, saved.responseSchema) ||
    !sameSchema(draft.inputSchema, saved.inputSchema)
  );
}

/** Exactly the same text in every field. */
export function sameDraft(a: PromptDraft, b: PromptDraft): boolean {
  return (
    a.name === b.name &&
    a.description === b.description &&
    a.template === b.template &&
    a.acceptsFiles === b.acceptsFiles &&
    a.responseSchema === b.responseSchema &&
    a.inputSchema === b.inputSchema
  );
}

/**
 * The draft as the API's input, or the schemas' errors (JSON that does not parse, with its line
 * and column) for their fields.
 */
export function draftInput(draft: PromptDraft): { ok: true; input: SavedPrompt } | { ok: false; errors: Record<string, string> } {
  const response = readSchemaText(draft.responseSchema);
  const input = readSchemaText(draft.inputSchema);
  if (!response.ok || !input.ok) {
    return { ok: false, errors: { ...(response.ok ? {} : { responseSchema: response.error }), ...(input.ok ? {} : { inputSchema: input.error }) } };
  }
  return { ok: true, input: { ...draft, responseSchema: response.schema, inputSchema: input.schema } };
}

/**
 * Name, Description, Template (monospace), "Accepts files", the input and the response schema, with field
 * errors beside each.
 * `readOnly` for viewers: they can read and preview, not change.
 */
export function PromptFields({
  draft,
  onChange,
  errors,
  readOnly = false,
  disabled = false,
}: {
  draft: PromptDraft;
  onChange: (patch: Partial<PromptDraft>) => void;
  errors: Record<string, string | undefined>;
  readOnly?: boolean;
  disabled?: boolean;
}) {
  const length = draft.template.length;
  // The editor is server-rendered with the saved prompt: typing before hydration would be mangled
  // when React takes the fields over, so they accept input only once it has.
  const hydrated = useHydrated();
  const locked = readOnly || !hydrated;
  return (
    <div className="space-y-5">
      <Field label="Name" error={errors.name} hint={characterCount(draft.name.length, MAX_PROMPT_NAME_LENGTH)}>
        {(props) => (
          <Input
            {...props}
            name="name"
            value={draft.name}
            onChange={(event) => onChange({ name: event.target.value })}
            readOnly={locked}
            disabled={disabled}
            required
            autoComplete="off"
            placeholder="Support reply"
          />
        )}
      </Field>
      <Field
        label="Description"
        optional
        error={errors.description}
        hint={
          <span className="flex flex-wrap justify-between gap-x-4">
            <span>What the prompt is for; shown in the list and searched.</span>
            {characterCount(draft.description.length, MAX_PROMPT_DESCRIPTION_LENGTH)}
          </span>
        }
      >
        {(props) => (
          <Textarea
            {...props}
            name="description"
            rows={2}
            value={draft.description}
            onChange={(event) => onChange({ description: event.target.value })}
            readOnly={locked}
            disabled={disabled}
            placeholder="Answer a customer politely"
          />
        )}
      </Field>
      <Field
        label="Template"
        error={errors.template}
        hint={
          <span className="flex flex-wrap justify-between gap-x-4">
            <span>
              Mustache syntax: <code className="font-mono text-gray-700">{"{{variable}}"}</code>, lists with{" "}
              <code className="font-mono text-gray-700">{"{{#items}}…{{/items}}"}</code>.
            </span>
            {characterCount(length, MAX_TEMPLATE_LENGTH, { always: true })}
          </span>
        }
      >
        {(props) => (
          <Textarea
            {...props}
            name="template"
            rows={14}
            value={draft.template}
            onChange={(event) => onChange({ template: event.target.value })}
            readOnly={locked}
            disabled={disabled}
            required
            spellCheck={false}
            autoCapitalize="off"
            autoCorrect="off"
            className="min-h-48 resize-y font-mono text-[13px] leading-5"
            placeholder={"Dear {{customer}},\n\nThank you for writing about {{topic}}."}
          />
        )}
      </Field>
      <div>
        <Checkbox
          name="acceptsFiles"
          label="Accepts files"
          description="Executions may attach uploaded files; the template sees them as {{#files}}{{name}}: {{text}}{{/files}}."
          checked={draft.acceptsFiles}
          onChange={(event) => onChange({ acceptsFiles: event.target.checked })}
          disabled={disabled || locked}
        />
        {errors.acceptsFiles ? <p className="mt-1 text-xs font-medium text-red-600">{errors.acceptsFiles}</p> : null}
      </div>
      <JsonSchemaField
        subject="input"
        text={draft.inputSchema}
        onChange={(inputSchema) => onChange({ inputSchema })}
        error={errors.inputSchema}
        readOnly={readOnly}
        disabled={disabled}
        template={draft.template}
      />
      <JsonSchemaField
        subject="response"
        text={draft.responseSchema}
        onChange={(responseSchema) => onChange({ responseSchema })}
        error={errors.responseSchema}
        readOnly={readOnly}
        disabled={disabled}
      />
    </div>
  );
}
