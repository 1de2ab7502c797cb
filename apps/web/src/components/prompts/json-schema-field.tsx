"use client";

import { parseJsonText, schemaFromExample } from "@sigil/validators";
import type { SchemaSubject } from "@sigil/validators/json-schema";
import { useMutation } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import { Textarea } from "@/components/ui/input";
import { useTRPC } from "@/trpc/client";
import { readSchemaText } from "./response-schema";
import { useHydrated } from "@/components/ui/use-hydrated";
import { useDebouncedValue } from "./use-debounced-value";

const CHECK_DELAY_MS = 400;

/** What differs between the prompt's two schemas in the editor. */
const SUBJECTS: Record<
  SchemaSubject,
  { label: string; name: string; empty: string; placeholder: string; exampleTitle: string; exampleDescription: string; examplePlaceholder: string }
> = {
  response: {
    label: "Response schema",
    name: "responseSchema",
    empty: "Optional. Every result is checked against it (draft-07, or 2020-12 with $schema); leave it empty for free text.",
    placeholder: '{\n  "type": "object",\n  "properties": { "answer": { "type": "string" } },\n  "required": ["answer"]\n}',
    exampleTitle: "Generate a schema from an example",
    exampleDescription: "Paste a response you would accept. Its keys become required properties; the schema replaces the current one.",
    examplePlaceholder: '{ "answer": "yes", "confidence": 0.9 }',
  },
  input: {
    label: "Input schema",
    name: "inputSchema",
    empty: "Optional. The variables of every execution and batch-run item are checked against it before anything runs.",
    placeholder: '{\n  "type": "object",\n  "properties": { "customer": { "type": "string" } },\n  "required": ["customer"]\n}',
    exampleTitle: "Generate a schema from example variables",
    exampleDescription: "Paste the variables of one execution you would accept. Its keys become required properties; the schema replaces the current one.",
    examplePlaceholder: '{ "customer": "Ada", "topic": "billing" }',
  },
};

/**
 * A prompt's response or input schema: JSON text, checked as it is typed (a JSON error with its
 * line and column here; the schema itself by the API, as saving checks it), and "Generate from
 * example JSON". Every result of the prompt is validated against the response schema, every
 * execution's variables against the input schema (README: Reviewing results). The input schema
 * can also be drafted from the template's variables (`template`).
 */
export function JsonSchemaField({
  subject,
  text,
  onChange,
  error,
  readOnly,
  disabled,
  template,
}: {
  subject: SchemaSubject;
  text: string;
  onChange: (text: string) => void;
  error: string | undefined;
  readOnly: boolean;
  disabled: boolean;
  /** The template being edited: offered for "Generate from template" (input schemas). */
  template?: string;
}) {
  const trpc = useTRPC();
  const hydrated = useHydrated();
  const copy = SUBJECTS[subject];
  const [exampleOpen, setExampleOpen] = useState(false);
  const check = useMutation(trpc.prompts.checkResponseSchema.mutationOptions());
  const draft = useMutation(trpc.prompts.draftInputSchema.mutationOptions({ onSuccess: ({ schema }) => onChange(JSON.stringify(schema, null, 2)) }));
  const { mutate } = check;
  const [verdict, setVerdict] = useState<{ text: string; message: string | null } | null>(null);
  const debounced = useDebouncedValue(text, CHECK_DELAY_MS);
  const read = readSchemaText(text);

  useEffect(() => {
    const current = readSchemaText(debounced);
    if (!current.ok || current.schema === null) return;
    mutate({ schema: current.schema, subject }, { onSuccess: (result) => setVerdict({ text: debounced, message: result.message }) });
  }, [debounced, mutate, subject]);

  const status = !read.ok ? (
    <span className="text-red-600">{read.error}</span>
  ) : read.schema === null ? (
    copy.empty
  ) : verdict?.text === text ? (
    verdict.message === null ? (
      <span className="text-green-700">Valid JSON Schema.</span>
    ) : (
      <span className="text-red-600">{verdict.message}</span>
    )
  ) : (
    "Checking…"
  );

  return (
    <div data-testid={`${subject}-schema-field`} className="space-y-2">
      <Field label={copy.label} optional error={error} hint={<span data-testid={`${subject}-schema-status`}>{status}</span>}>
        {(props) => (
          <Textarea
            {...props}
            name={copy.name}
            rows={8}
            value={text}
            onChange={(event) => onChange(event.target.value)}
            readOnly={readOnly || !hydrated}
            disabled={disabled}
            spellCheck={false}
            autoCapitalize="off"
            autoCorrect="off"
            className="resize-y font-mono text-[13px] leading-5"
            placeholder={copy.placeholder}
          />
        )}
      </Field>
      {readOnly ? null : (
        <div className="flex flex-wrap items-center gap-2">
          <Button type="button" variant="secondary" size="sm" onClick={() => setExampleOpen(true)} disabled={disabled}>
            Generate from example JSON
          </Button>
          {subject === "input" && template !== undefined ? (
            <Button
              type="button"
              variant="secondary"
              size="sm"
              loading={draft.isPending}
              disabled={disabled || template.trim() === ""}
              onClick={() => draft.mutate({ template })}
            >
              Generate from template variables
            </Button>
          ) : null}
          {draft.error ? <span className="text-xs font-medium text-red-600">{draft.error.message}</span> : null}
        </div>
      )}
      <ExampleDialog
        copy={copy}
        open={exampleOpen}
        onClose={() => setExampleOpen(false)}
        onGenerate={(schema) => {
          onChange(JSON.stringify(schema, null, 2));
          setExampleOpen(false);
        }}
      />
    </div>
  );
}

function ExampleDialog({
  copy,
  open,
  onClose,
  onGenerate,
}: {
  copy: (typeof SUBJECTS)[SchemaSubject];
  open: boolean;
  onClose: () => void;
  onGenerate: (schema: Record<string, unknown>) => void;
}) {
  const [example, setExample] = useState("");
  const [error, setError] = useState<string | undefined>();
  const generate = () => {
    const parsed = parseJsonText(example);
    if (!parsed.ok) return setError(parsed.message);
    setError(undefined);
    onGenerate(schemaFromExample(parsed.value));
  };
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title={copy.exampleTitle}
      description={copy.exampleDescription}
      footer={
        <>
          <Button type="button" variant="ghost" onClick={onClose}>
            Cancel
          </Button>
          <Button type="button" onClick={generate}>
            Generate
          </Button>
        </>
      }
    >
      <Field label="Example JSON" error={error}>
        {(props) => (
          <Textarea
            {...props}
            rows={10}
            value={example}
            onChange={(event) => setExample(event.target.value)}
            spellCheck={false}
            className="font-mono text-[13px] leading-5"
            placeholder={copy.examplePlaceholder}
          />
        )}
      </Field>
    </Dialog>
  );
}
