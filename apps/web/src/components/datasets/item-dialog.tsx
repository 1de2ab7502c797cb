"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { ErrorAlert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import { Input, Textarea } from "@/components/ui/input";
import { useTRPC } from "@/trpc/client";
import type { RouterOutputs } from "@/trpc/types";

export type DatasetItem = RouterOutputs["datasets"]["items"]["data"][number];

/** Variables typed as a JSON object; the message says what is wrong when they are not one. */
export function parseVariables(text: string): { variables: Record<string, unknown> } | { error: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { error: `The variables are not valid JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) return { error: 'The variables must be a JSON object, like {"question": "…"}.' };
  return { variables: value as Record<string, unknown> };
}

/** Adds an item, or edits `item`: variables as JSON, the expected output, comma-separated tags. */
export function ItemDialog({ datasetId, item, open, onClose }: { datasetId: string; item: DatasetItem | null; open: boolean; onClose: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [variables, setVariables] = useState(item ? JSON.stringify(item.variables, null, 2) : "{\n  \n}");
  const [expected, setExpected] = useState(item?.expectedOutput ?? "");
  const [tags, setTags] = useState(item?.tags.join(", ") ?? "");
  const [jsonError, setJsonError] = useState<string | null>(null);
  const done = async () => {
    await Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.datasets.items.queryKey() }),
      queryClient.invalidateQueries({ queryKey: trpc.datasets.get.queryKey() }),
    ]);
    onClose();
  };
  const add = useMutation(trpc.datasets.addItems.mutationOptions({ onSuccess: done }));
  const update = useMutation(trpc.datasets.updateItem.mutationOptions({ onSuccess: done }));
  const save = () => {
    const parsed = parseVariables(variables);
    if ("error" in parsed) return setJsonError(parsed.error);
    setJsonError(null);
    const fields = {
      variables: parsed.variables,
      expectedOutput: expected === "" ? null : expected,
      tags: tags
        .split(",")
        .map((tag) => tag.trim())
        .filter((tag) => tag !== ""),
    };
    if (item) update.mutate({ datasetId, id: item.id, ...fields });
    else add.mutate({ datasetId, items: [fields] });
  };
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title={item ? `Edit item ${item.position + 1}` : "Add an item"}
      footer={
        <Button onClick={save} loading={add.isPending || update.isPending}>
          {item ? "Save item" : "Add item"}
        </Button>
      }
    >
      <div className="space-y-4">
        <Field label="Variables (JSON object)" error={jsonError}>
          {(props) => <Textarea {...props} rows={6} className="font-mono text-xs" value={variables} onChange={(event) => setVariables(event.target.value)} />}
        </Field>
        <Field label="Expected output" optional>
          {(props) => <Textarea {...props} rows={3} value={expected} onChange={(event) => setExpected(event.target.value)} />}
        </Field>
        <Field label="Tags" optional hint="Separated by commas.">
          {(props) => <Input {...props} value={tags} onChange={(event) => setTags(event.target.value)} />}
        </Field>
        <ErrorAlert error={add.error ?? update.error} title="The item was not saved" />
      </div>
    </Dialog>
  );
}
