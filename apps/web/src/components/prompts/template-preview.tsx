"use client";

import { useMutation } from "@tanstack/react-query";
import { useEffect, useId, useState } from "react";
import { emptyVariableHint } from "@/components/executions/execution-inputs";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Spinner } from "@/components/ui/spinner";
import { cn } from "@/lib/cn";
import { errorMessage } from "@/lib/trpc-errors";
import { useTRPC } from "@/trpc/client";
import { useDebouncedValue } from "./use-debounced-value";
import { toVariables } from "./variables";

const PREVIEW_DELAY_MS = 350;

/**
 * The live preview beside the editor: the server (`prompts.preview`, Sigil's one renderer) lists
 * the template's variables — one input each — and renders the template with their values, a
 * moment after typing stops. A template that does not parse shows the server's message.
 */
export function TemplatePreview({
  template,
  values,
  onValueChange,
  className,
}: {
  template: string;
  values: Readonly<Record<string, string>>;
  onValueChange: (name: string, value: string) => void;
  className?: string;
}) {
  const trpc = useTRPC();
  const headingId = useId();
  const preview = useMutation(trpc.prompts.preview.mutationOptions());
  const { mutate } = preview;
  // The last successful answer stays on screen while the next one is on its way.
  const [last, setLast] = useState<{ rendered: string; variables: string[] } | null>(null);
  const debouncedTemplate = useDebouncedValue(template, PREVIEW_DELAY_MS);
  const debouncedValues = useDebouncedValue(values, PREVIEW_DELAY_MS);

  useEffect(() => {
    if (debouncedTemplate === "") return;
    mutate(
      { template: debouncedTemplate, variables: toVariables(Object.keys(debouncedValues), debouncedValues) },
      // Per-call callbacks run for the latest call only: a slow, older answer never wins.
      { onSuccess: (result) => setLast({ rendered: result.rendered, variables: result.variables }) },
    );
  }, [debouncedTemplate, debouncedValues, mutate]);

  const empty = template === "";
  const variables = empty ? [] : (last?.variables ?? []);
  const updating = !empty && (preview.isPending || template !== debouncedTemplate || values !== debouncedValues);
  const failed = !empty && preview.isError && !updating;

  return (
    <section aria-labelledby={headingId} className={cn("rounded-lg border border-gray-200 bg-white shadow-xs", className)}>
      <div className="flex items-center justify-between gap-3 border-b border-gray-100 px-5 py-3.5">
        <h2 id={headingId} className="text-base font-semibold text-gray-900">
          Preview
        </h2>
        {updating ? <Spinner label="Updating the preview" className="text-gray-400" /> : null}
      </div>
      <div className="space-y-5 px-5 py-4">
        <div>
          <h3 className="mb-2 text-xs font-semibold tracking-wide text-gray-500 uppercase">Variables</h3>
          {variables.length === 0 ? (
            <p className="text-sm text-gray-500">{empty ? "Write a template to see its variables." : "This template has no variables."}</p>
          ) : (
            <div className="space-y-3">
              {variables.map((name) => (
                <Field key={name} label={<span className="font-mono text-[13px]">{name}</span>} hint={emptyVariableHint(name, values[name])}>
                  {(props) => (
                    <Input
                      {...props}
                      value={values[name] ?? ""}
                      onChange={(event) => onValueChange(name, event.target.value)}
                      autoComplete="off"
                      spellCheck={false}
                      className="h-9"
                    />
                  )}
                </Field>
              ))}
              <p className="text-xs text-gray-500">
                Text is inserted as is; write JSON (<code className="font-mono">[&quot;a&quot;, &quot;b&quot;]</code>) for a list.
              </p>
            </div>
          )}
        </div>

        <div>
          <div className="mb-2 flex items-center justify-between">
            <h3 className="text-xs font-semibold tracking-wide text-gray-500 uppercase">Output</h3>
            {last && !failed && !empty ? <Badge tone="neutral">{last.rendered.length.toLocaleString("en")} characters</Badge> : null}
          </div>
          {empty ? (
            <p className="rounded-md border border-dashed border-gray-300 px-3 py-6 text-center text-sm text-gray-500">The rendered prompt appears here.</p>
          ) : failed ? (
            <Alert tone="danger" title="The template cannot be previewed">
              {errorMessage(preview.error)}
            </Alert>
          ) : last === null ? (
            <div className="h-24 animate-pulse rounded-md bg-gray-100" aria-hidden="true" />
          ) : (
            <pre
              className={cn(
                "max-h-96 overflow-auto rounded-md border border-gray-200 bg-gray-50 px-3 py-2.5 font-mono text-[13px] leading-5 whitespace-pre-wrap text-gray-900 transition-opacity",
                updating && "opacity-60",
              )}
            >
              {last.rendered === "" ? <span className="text-gray-500 italic">(empty output)</span> : last.rendered}
            </pre>
          )}
        </div>
      </div>
    </section>
  );
}
