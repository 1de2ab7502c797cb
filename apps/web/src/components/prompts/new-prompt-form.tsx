"use client";

import { createPromptInput } from "@sigil/validators";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useMemo, useState, type FormEvent } from "react";
import { ErrorAlert } from "@/components/ui/alert";
import { Button, buttonClasses } from "@/components/ui/button";
import { useToast } from "@/components/ui/toast";
import { DraftRestored } from "@/components/unsaved-changes/draft-restored";
import { useLeaveTo, useUnsavedChanges } from "@/components/unsaved-changes/context";
import { useFormDraft } from "@/components/unsaved-changes/use-form-draft";
import { useMe, useWorkspaceHref } from "@/components/workspace/workspace-context";
import { hasStringFields, isStringRecord } from "@/lib/drafts";
import { useTRPC } from "@/trpc/client";
import { draftInput, EMPTY_DRAFT, PromptFields, sameDraft, type PromptDraft } from "./prompt-fields";
import { promptFormErrors, withoutFields } from "./form-errors";
import { TemplatePreview } from "./template-preview";
import { issuesByField } from "@/lib/form-errors";

interface StoredDraft {
  fields: PromptDraft;
  values: Record<string, string>;
}

function isStoredDraft(value: unknown): value is StoredDraft {
  if (typeof value !== "object" || value === null) return false;
  const { fields, values } = value as Record<string, unknown>;
  return hasStringFields(fields, ["name", "description", "template", "responseSchema"]) && typeof fields.acceptsFiles === "boolean" && isStringRecord(values);
}

/**
 * "New prompt": the fields, the live preview, and "Create prompt" → the prompt's page. What is
 * typed survives a reload (a draft per workspace and user) and leaving the page asks first.
 */
export function NewPromptForm() {
  const trpc = useTRPC();
  const me = useMe();
  const leaveTo = useLeaveTo();
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
        stored.clear();
        leaveTo(href(`/prompts/${prompt.id}`));
      },
    }),
  );
  const dirty = !sameDraft(draft, EMPTY_DRAFT) && !create.isSuccess;
  const storedValue = useMemo(() => ({ fields: draft, values }), [draft, values]);
  useUnsavedChanges(dirty);
  const stored = useFormDraft<StoredDraft>({
    scope: `${me.tenant.slug}/${me.user.id}`,
    form: "new-prompt",
    value: storedValue,
    dirty,
    accept: isStoredDraft,
    restore: (restored) => {
      // A draft saved before prompts had input schemas has none.
      setDraft({ ...EMPTY_DRAFT, ...restored.fields });
      setValues(restored.values);
    },
  });
  const discardDraft = () => {
    stored.clear();
    setDraft(EMPTY_DRAFT);
    setValues({});
    setLocalErrors({});
  };
  const { fieldErrors, formError } = promptFormErrors(create.error);
  const errors = { ...fieldErrors, ...localErrors };

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    // The same rules as the server (@sigil/validators), checked before the round trip.
    const input = draftInput(draft);
    if (!input.ok) {
      setLocalErrors(input.errors);
      return;
    }
    const parsed = createPromptInput.safeParse(input.input);
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
        {stored.restored ? <DraftRestored onDiscard={discardDraft} /> : null}
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
