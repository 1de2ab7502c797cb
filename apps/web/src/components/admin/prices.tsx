"use client";

import { PRICED_PROVIDER_KINDS, setModelPriceInput } from "@sigil/validators";
import { useMutation, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { useId, useState, type FormEvent } from "react";
import { UnsavedChanges } from "@/components/unsaved-changes/context";
import { Alert, ErrorAlert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Dialog } from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import { Input, Select } from "@/components/ui/input";
import { PageHeader } from "@/components/ui/page-header";
import { RelativeTime } from "@/components/ui/relative-time";
import { Table, TableBody, TableCaption, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { useToast } from "@/components/ui/toast";
import { fieldErrorsOf } from "@/lib/trpc-errors";
import { useTRPC } from "@/trpc/client";
import type { RouterOutputs } from "@/trpc/types";
import { useFocusWhenOpen } from "./focus-when-open";

type Price = RouterOutputs["admin"]["prices"]["prices"][number];
type Kind = (typeof PRICED_PROVIDER_KINDS)[number];

const KIND_LABELS: Record<Kind, string> = {
  anthropic: "Anthropic",
  openai: "OpenAI",
  gemini: "Google Gemini",
  ollama: "Ollama",
  "openai-compatible": "OpenAI-compatible",
};

/** "$3", "$0.075", "$2.50" per million tokens. */
function usd(value: number): string {
  return new Intl.NumberFormat("en-US", { style: "currency", currency: "USD", minimumFractionDigits: 2, maximumFractionDigits: 6 }).format(value);
}

/** The model price table: defaults, the administrator's overrides (marked) and the models only the administrator priced. */
export function Prices() {
  const trpc = useTRPC();
  const { data } = useSuspenseQuery(trpc.admin.prices.queryOptions());
  const [editing, setEditing] = useState<Price | "new" | null>(null);
  const [resetting, setResetting] = useState<Price | null>(null);
  const overrides = data.prices.filter((price) => price.source !== "default").length;

  return (
    <>
      <PageHeader
        title="Prices"
        description={`US dollars per million tokens, by provider kind and model. Defaults are the providers' public list prices of ${data.defaultsTakenOn}; an override replaces one, and a model without a default has a cost only once you price it.`}
        actions={
          <Button onClick={() => setEditing("new")} aria-hidden={editing !== null || undefined}>
            Add a model
          </Button>
        }
      />
      <Alert tone="info" title="Changes apply to executions that finish afterwards" className="mb-4">
        An execution&apos;s cost is computed once, when it finishes; stored costs are never recomputed. A dated model name (such as claude-sonnet-4-5-20250929
        or gpt-4o-2024-08-06) takes the price of the name without its date.
      </Alert>
      <p className="mb-3 text-sm text-gray-600">
        {data.prices.length} prices · {overrides} set by an administrator
      </p>
      <Table>
        <TableCaption className="sr-only">Model prices in US dollars per million tokens</TableCaption>
        <TableHeader>
          <tr>
            <TableHead>Provider</TableHead>
            <TableHead>Model</TableHead>
            <TableHead className="text-right">Input</TableHead>
            <TableHead className="text-right">Output</TableHead>
            <TableHead>Source</TableHead>
            <TableHead>
              <span className="sr-only">Actions</span>
            </TableHead>
          </tr>
        </TableHeader>
        <TableBody>
          {data.prices.map((price) => (
            <TableRow key={`${price.providerKind}/${price.model}`} data-testid={`price-${price.providerKind}-${price.model}`}>
              <TableCell className="whitespace-nowrap text-gray-600">{KIND_LABELS[price.providerKind]}</TableCell>
              <TableCell className="font-mono text-xs whitespace-nowrap text-gray-900">{price.model}</TableCell>
              <TableCell className="text-right tabular-nums">{usd(price.inputUsdPerMillion)}</TableCell>
              <TableCell className="text-right tabular-nums">{usd(price.outputUsdPerMillion)}</TableCell>
              <TableCell>
                <SourceBadge price={price} />
              </TableCell>
              <TableCell className="text-right whitespace-nowrap">
                <Button size="sm" variant="ghost" onClick={() => setEditing(price)}>
                  Edit<span className="sr-only"> the price of {price.model}</span>
                </Button>
                {price.source !== "default" ? (
                  <Button size="sm" variant="dangerGhost" onClick={() => setResetting(price)}>
                    {price.source === "override" ? "Reset to default" : "Remove"}
                    <span className="sr-only"> ({price.model})</span>
                  </Button>
                ) : null}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      <PriceDialog price={editing} onClose={() => setEditing(null)} />
      <ResetDialog price={resetting} onClose={() => setResetting(null)} />
    </>
  );
}

function SourceBadge({ price }: { price: Price }) {
  if (price.source === "default") return <Badge tone="neutral">Default</Badge>;
  const by = price.updatedBy ? ` by ${price.updatedBy}` : "";
  return (
    <span className="flex flex-col gap-0.5">
      <span>
        <Badge tone={price.source === "override" ? "warning" : "brand"}>{price.source === "override" ? "Override" : "Custom"}</Badge>
      </span>
      <span className="text-xs text-gray-600">
        {price.defaultPrice ? `Default ${usd(price.defaultPrice.inputUsdPerMillion)} / ${usd(price.defaultPrice.outputUsdPerMillion)}. ` : "No default. "}
        Set{by}
        {price.updatedAt ? (
          <>
            {" "}
            <RelativeTime value={price.updatedAt} />
          </>
        ) : null}
        .
      </span>
    </span>
  );
}

interface Draft {
  providerKind: Kind;
  model: string;
  input: string;
  output: string;
}

function draftOf(price: Price | "new" | null): Draft {
  if (price === null || price === "new") return { providerKind: "openai-compatible", model: "", input: "", output: "" };
  return { providerKind: price.providerKind, model: price.model, input: String(price.inputUsdPerMillion), output: String(price.outputUsdPerMillion) };
}

function PriceDialog({ price, onClose }: { price: Price | "new" | null; onClose: () => void }) {
  const open = price !== null;
  // A fresh form per opened price (the key resets its state).
  return open ? <PriceForm key={price === "new" ? "new" : `${price.providerKind}/${price.model}`} price={price} onClose={onClose} /> : null;
}

function PriceForm({ price, onClose }: { price: Price | "new"; onClose: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const formId = useId();
  const initial = draftOf(price);
  const [draft, setDraft] = useState<Draft>(initial);
  const [errors, setErrors] = useState<Record<string, string | undefined>>({});
  const isNew = price === "new";
  const modelRef = useFocusWhenOpen<HTMLInputElement>(isNew);
  const inputRef = useFocusWhenOpen<HTMLInputElement>(!isNew);
  const save = useMutation(
    trpc.admin.setPrice.mutationOptions({
      onSuccess: async (saved) => {
        toast({ title: `Price of ${saved.model} saved`, tone: "success" });
        await queryClient.invalidateQueries({ queryKey: trpc.admin.prices.queryKey() });
        onClose();
      },
    }),
  );
  const dirty =
    draft.providerKind !== initial.providerKind || draft.model !== initial.model || draft.input !== initial.input || draft.output !== initial.output;
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const number = (value: string) => (value.trim() === "" ? undefined : Number(value));
    const parsed = setModelPriceInput.safeParse({
      providerKind: draft.providerKind,
      model: draft.model,
      inputUsdPerMillion: number(draft.input),
      outputUsdPerMillion: number(draft.output),
    });
    if (!parsed.success) {
      const fields: Record<string, string | undefined> = {};
      for (const issue of parsed.error.issues) {
        const field = String(issue.path[0] ?? "");
        fields[field] ??= issue.message;
      }
      setErrors(fields);
      return;
    }
    setErrors({});
    save.mutate(parsed.data);
  };
  const serverErrors = fieldErrorsOf(save.error);
  const fieldError = (field: string) => errors[field] ?? serverErrors[field];
  const hasFieldError = Object.values(serverErrors).some(Boolean);

  return (
    <Dialog
      open
      onClose={onClose}
      title={isNew ? "Add a model's price" : `Price of ${draft.model}`}
      description={
        isNew
          ? "For a model the defaults do not know, or a self-hosted one. Executions that finish afterwards are priced with it."
          : price.source === "default"
            ? "Saving overrides the default; “Reset to default” brings it back."
            : "Executions that finish afterwards are priced with the new price."
      }
      footer={
        <>
          <Button variant="secondary" onClick={onClose} disabled={save.isPending}>
            Cancel
          </Button>
          <Button type="submit" form={formId} loading={save.isPending}>
            Save price
          </Button>
        </>
      }
    >
      <form id={formId} onSubmit={onSubmit} noValidate className="space-y-3">
        <UnsavedChanges dirty={dirty} />
        {save.error && !hasFieldError ? <ErrorAlert error={save.error} title="Could not save the price" /> : null}
        <Field label="Provider kind" error={fieldError("providerKind")} hint="The provider module, not a workspace's provider name.">
          {(props) => (
            <Select
              {...props}
              name="providerKind"
              value={draft.providerKind}
              disabled={!isNew}
              onChange={(event) => setDraft({ ...draft, providerKind: event.target.value as Kind })}
            >
              {PRICED_PROVIDER_KINDS.map((kind) => (
                <option key={kind} value={kind}>
                  {KIND_LABELS[kind]}
                </option>
              ))}
            </Select>
          )}
        </Field>
        <Field label="Model" error={fieldError("model")} hint={isNew ? "As the provider names it, e.g. llama3.1:8b or gpt-4o." : undefined}>
          {(props) => (
            <Input
              {...props}
              ref={modelRef}
              name="model"
              autoComplete="off"
              readOnly={!isNew}
              value={draft.model}
              onChange={(event) => setDraft({ ...draft, model: event.target.value })}
            />
          )}
        </Field>
        <div className="grid gap-3 sm:grid-cols-2">
          <Field label="Input, $ per million tokens" error={fieldError("inputUsdPerMillion")}>
            {(props) => (
              <Input
                {...props}
                ref={inputRef}
                name="inputUsdPerMillion"
                type="number"
                inputMode="decimal"
                min={0}
                step="any"
                value={draft.input}
                onChange={(event) => setDraft({ ...draft, input: event.target.value })}
              />
            )}
          </Field>
          <Field label="Output, $ per million tokens" error={fieldError("outputUsdPerMillion")}>
            {(props) => (
              <Input
                {...props}
                name="outputUsdPerMillion"
                type="number"
                inputMode="decimal"
                min={0}
                step="any"
                value={draft.output}
                onChange={(event) => setDraft({ ...draft, output: event.target.value })}
              />
            )}
          </Field>
        </div>
      </form>
    </Dialog>
  );
}

function ResetDialog({ price, onClose }: { price: Price | null; onClose: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const reset = useMutation(
    trpc.admin.resetPrice.mutationOptions({
      onSuccess: async () => {
        toast({
          title: price?.source === "override" ? `${price.model} is back to its default price` : `Price of ${price?.model ?? "the model"} removed`,
          tone: "success",
        });
        await queryClient.invalidateQueries({ queryKey: trpc.admin.prices.queryKey() });
        onClose();
      },
    }),
  );
  const isOverride = price?.source === "override";
  return (
    <ConfirmDialog
      open={price !== null}
      onClose={() => {
        reset.reset();
        onClose();
      }}
      title={isOverride ? `Reset ${price?.model ?? "this model"} to its default price?` : `Remove the price of ${price?.model ?? "this model"}?`}
      description={
        isOverride && price?.defaultPrice
          ? `Executions that finish afterwards cost ${usd(price.defaultPrice.inputUsdPerMillion)} / ${usd(price.defaultPrice.outputUsdPerMillion)} per million input / output tokens again.`
          : "Executions of this model that finish afterwards have no cost until it is priced again."
      }
      confirmLabel={isOverride ? "Reset to default" : "Remove price"}
      tone={isOverride ? "primary" : "danger"}
      onConfirm={() => {
        if (price) reset.mutate({ providerKind: price.providerKind, model: price.model });
      }}
      pending={reset.isPending}
      error={reset.error}
      errorTitle="Could not reset the price"
    />
  );
}
