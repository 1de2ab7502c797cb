"use client";

import { parseJsonText, schemaFromExample } from "@sigil/validators";
import { useMutation } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import { Textarea } from "@/components/ui/input";
import { useTRPC } from "@/trpc/client";
import { readSchemaText } from "./response-schema";
import { useDebouncedValue } from "./use-debounced-value";

const CHECK_DELAY_MS = 400;

/**
 * The response schema: JSON text, checked as it is typed (a JSON error with its line and column
 * here; the schema itself by the API, as saving checks it), and "Generate from example JSON".
 * Every result of the prompt is validated against it (README: Reviewing results).
 */
export function ResponseSchemaField({
  text,
  onChange,
  error,
  readOnly,
  disabled,
}: {
  text: string;
  onChange: (text: string) => void;
  error: string | undefined;
  readOnly: boolean;
  disabled: boolean;
}) {
  const trpc = useTRPC();
  const [exampleOpen, setExampleOpen] = useState(false);
  const check = useMutation(trpc.prompts.checkResponseSchema.mutationOptions());
  const { mutate } = check;
  const [verdict, setVerdict] = useState<{ text: string; message: string | null } | null>(null);
  const debounced = useDebouncedValue(text, CHECK_DELAY_MS);
  const read = readSchemaText(text);

  useEffect(() => {
    const current = readSchemaText(debounced);
    if (!current.ok || current.schema === null) return;
    mutate({ schema: current.schema }, { onSuccess: (result) => setVerdict({ text: debounced, message: result.message }) });
  }, [debounced, mutate]);

  const status = !read.ok ? (
    <span className="text-red-600">{read.error}</span>
  ) : read.schema === null ? (
    "Optional. Every result is checked against it (draft-07, or 2020-12 with $schema); leave it empty for free text."
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
    <div className="space-y-2">
      <Field label="Response schema" optional error={error} hint={<span data-testid="schema-status">{status}</span>}>
        {(props) => (
          <Textarea
            {...props}
            name="responseSchema"
            rows={8}
            value={text}
            onChange={(event) => onChange(event.target.value)}
            readOnly={readOnly}
            disabled={disabled}
            spellCheck={false}
            autoCapitalize="off"
            autoCorrect="off"
            className="resize-y font-mono text-[13px] leading-5"
            placeholder={'{\n  "type": "object",\n  "properties": { "answer": { "type": "string" } },\n  "required": ["answer"]\n}'}
          />
        )}
      </Field>
      {readOnly ? null : (
        <Button type="button" variant="secondary" size="sm" onClick={() => setExampleOpen(true)} disabled={disabled}>
          Generate from example JSON
        </Button>
      )}
      <ExampleDialog
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

function ExampleDialog({ open, onClose, onGenerate }: { open: boolean; onClose: () => void; onGenerate: (schema: Record<string, unknown>) => void }) {
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
      title="Generate a schema from an example"
      description="Paste a response you would accept. Its keys become required properties; the schema replaces the current one."
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
            placeholder={'{ "answer": "yes", "confidence": 0.9 }'}
          />
        )}
      </Field>
    </Dialog>
  );
}
