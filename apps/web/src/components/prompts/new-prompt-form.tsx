"use client";

import { createPromptInput } from "@sigil/validators";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { ErrorAlert } from "@/components/ui/alert";
import { Button, buttonClasses } from "@/components/ui/button";
import { useToast } from "@/components/ui/toast";
import { useWorkspaceHref } from "@/components/workspace/workspace-context";
import { useTRPC } from "@/trpc/client";
import { EMPTY_DRAFT, PromptFields, type PromptDraft } from "./prompt-fields";
import { promptFormErrors, withoutFields } from "./form-errors";
import { TemplatePreview } from "./template-preview";
import { issuesByField } from "@/lib/form-errors";

/** "New prompt": the fields, the live preview, and "Create prompt" → the prompt's page. */
export function NewPromptForm() {
  const trpc = useTRPC();
  const router = useRouter();
  const href = useWorkspaceHref();
  const toast = useToast();
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState<PromptDraft>(EMPTY_DRAFT);
  const [values, setValues] = useState<Record<string, string>>({});
  const [localErrors, setLocalErrors] = useState<Record<string, string | undefined>>({});

  const create = useMutation(
    trpc.prompts.create.mutationOptions({
      onSuccess: async (prompt) => {
        queryClient.setQueryData(trpc.prompts.get.queryKey({ id: prompt.id }), prompt);
        await queryClient.invalidateQueries({ queryKey: trpc.prompts.list.queryKey() });
        toast({ title: `Prompt “${prompt.name}” created`, description: "This is version 1. Every change you save adds a version.", tone: "success" });
        router.push(href(`/prompts/${prompt.id}`));
      },
    }),
  );
  const { fieldErrors, formError } = promptFormErrors(create.error);
  const errors = { ...fieldErrors, ...localErrors };

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    // The same rules as the server (@sigil/validators), checked before the round trip.
    const parsed = createPromptInput.safeParse(draft);
    if (!parsed.success) {
      setLocalErrors(issuesByField(parsed.error.issues));
      return;
    }
    setLocalErrors({});
    create.mutate(parsed.data);
  };

  const change = (patch: Partial<PromptDraft>) => {
    setDraft((current) => ({ ...current, ...patch }));
    // A field's own error goes once the user edits it.
    setLocalErrors((current) => withoutFields(current, Object.keys(patch)));
  };

  return (
    <form onSubmit={onSubmit} noValidate className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_minmax(0,26rem)]">
      <div className="space-y-5">
        {formError ? <ErrorAlert error={formError} title="Could not create the prompt" /> : null}
        <div className="rounded-lg border border-gray-200 bg-white p-5 shadow-xs">
          <PromptFields draft={draft} onChange={change} errors={errors} />
        </div>
        <div className="flex items-center justify-end gap-2">
          <Link href={href("/prompts")} className={buttonClasses({ variant: "ghost" })}>
            Cancel
          </Link>
          <Button type="submit" loading={create.isPending || create.isSuccess}>
            Create prompt
          </Button>
        </div>
      </div>
      <TemplatePreview
        template={draft.template}
        values={values}
        onValueChange={(name, value) => setValues((current) => ({ ...current, [name]: value }))}
        className="self-start lg:sticky lg:top-6"
      />
    </form>
  );
}
