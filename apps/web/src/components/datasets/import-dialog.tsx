"use client";

import { MAX_IMPORT_BYTES, type ImportFormat } from "@sigil/validators";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type ChangeEvent } from "react";
import { Alert, ErrorAlert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import { Input, Select, Textarea } from "@/components/ui/input";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { useToast } from "@/components/ui/toast";
import { useTRPC } from "@/trpc/client";
import type { RouterOutputs } from "@/trpc/types";
import { mappingOf, rolesOf, type ColumnRole } from "./mapping";

type Preview = RouterOutputs["datasets"]["previewImport"];

const FORMAT_OF_EXTENSION: Record<string, ImportFormat> = { csv: "csv", json: "json", jsonl: "jsonl", ndjson: "jsonl", txt: "text" };
const MAX_MB = MAX_IMPORT_BYTES / 1024 / 1024;

/**
 * Import in two steps: choose a file (or paste), see the columns with the proposed mapping, the
 * first 20 rows as they will be stored and every row that cannot be (with its number); change
 * the mapping and preview again; then import all rows or none.
 */
export function ImportDialog({ datasetId, open, onClose }: { datasetId: string; open: boolean; onClose: () => void }) {
  const trpc = useTRPC();
  const toast = useToast();
  const queryClient = useQueryClient();
  const [format, setFormat] = useState<ImportFormat>("csv");
  const [content, setContent] = useState("");
  const [fileName, setFileName] = useState<string | null>(null);
  const [readError, setReadError] = useState<string | null>(null);
  const [roles, setRoles] = useState<Record<string, ColumnRole>>({});
  const [preview, setPreview] = useState<Preview | null>(null);

  const previewMutation = useMutation(
    trpc.datasets.previewImport.mutationOptions({
      onSuccess: (result) => {
        setPreview(result);
        setRoles(rolesOf(result.mapping, result.columns));
      },
    }),
  );
  const importMutation = useMutation(
    trpc.datasets.import.mutationOptions({
      onSuccess: async (result) => {
        await Promise.all([
          queryClient.invalidateQueries({ queryKey: trpc.datasets.items.queryKey() }),
          queryClient.invalidateQueries({ queryKey: trpc.datasets.get.queryKey() }),
          queryClient.invalidateQueries({ queryKey: trpc.datasets.list.queryKey() }),
        ]);
        toast({ title: `${result.imported} items imported`, tone: "success" });
        reset();
        onClose();
      },
    }),
  );

  const reset = () => {
    setContent("");
    setFileName(null);
    setPreview(null);
    setRoles({});
    setReadError(null);
    previewMutation.reset();
    importMutation.reset();
  };

  const onFile = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = "";
    if (!file) return;
    setPreview(null);
    if (file.size > MAX_IMPORT_BYTES) {
      setReadError(`${file.name} is larger than ${MAX_MB} MB; split it into several files.`);
      return;
    }
    setReadError(null);
    const extension = file.name.split(".").pop()?.toLowerCase() ?? "";
    const guessed = FORMAT_OF_EXTENSION[extension];
    if (guessed) setFormat(guessed);
    setFileName(file.name);
    setContent(await file.text());
  };

  const runPreview = (withMapping: boolean) => previewMutation.mutate({ format, content, ...(withMapping && preview ? { mapping: mappingOf(roles) } : {}) });
  const setRole = (column: string, role: ColumnRole) => setRoles((current) => ({ ...current, [column]: role }));
  const mappingChanged = preview !== null && JSON.stringify(mappingOf(roles)) !== JSON.stringify(preview.mapping);
  const canImport = preview !== null && !mappingChanged && preview.errorCount === 0 && preview.mappingProblems.length === 0 && preview.validRows > 0;

  return (
    <Dialog
      open={open}
      onClose={() => {
        reset();
        onClose();
      }}
      title="Import items"
      description={`CSV with a header row, a JSON array of objects, JSON Lines, or text with one item per line. At most ${MAX_MB} MB and 5,000 rows per import.`}
      className="max-w-5xl"
      footer={
        <>
          <Button variant="secondary" onClick={() => runPreview(preview !== null)} loading={previewMutation.isPending} disabled={content === ""}>
            {preview ? "Preview again" : "Preview"}
          </Button>
          <Button
            onClick={() => importMutation.mutate({ datasetId, format, content, mapping: mappingOf(roles) })}
            loading={importMutation.isPending}
            disabled={!canImport}
          >
            {preview ? `Import ${preview.validRows} items` : "Import"}
          </Button>
        </>
      }
    >
      <div className="space-y-4">
        <div className="grid gap-4 sm:grid-cols-[1fr_12rem]">
          <Field label="File" hint={fileName ? `Read ${fileName}.` : "Or paste below."}>
            {(props) => (
              <Input {...props} type="file" accept=".csv,.json,.jsonl,.ndjson,.txt,text/*,application/json" onChange={(event) => void onFile(event)} />
            )}
          </Field>
          <Field label="Format">
            {(props) => (
              <Select
                {...props}
                value={format}
                onChange={(event) => {
                  setFormat(event.target.value as ImportFormat);
                  setPreview(null);
                }}
              >
                <option value="csv">CSV</option>
                <option value="json">JSON (array of objects)</option>
                <option value="jsonl">JSON Lines</option>
                <option value="text">Text, one item per line</option>
              </Select>
            )}
          </Field>
        </div>
        <Field label="Content" hint="The text to import; a chosen file fills it in.">
          {(props) => (
            <Textarea
              {...props}
              rows={5}
              className="font-mono text-xs"
              value={content}
              onChange={(event) => {
                setContent(event.target.value);
                setPreview(null);
              }}
            />
          )}
        </Field>
        {readError ? (
          <Alert tone="danger" title="The file was not read">
            {readError}
          </Alert>
        ) : null}
        <ErrorAlert error={previewMutation.error} title="The import cannot be read" />
        <ErrorAlert error={importMutation.error} title="Nothing was imported" />
        {preview ? <PreviewTables preview={preview} roles={roles} onRole={setRole} mappingChanged={mappingChanged} /> : null}
      </div>
    </Dialog>
  );
}

function PreviewTables({
  preview,
  roles,
  onRole,
  mappingChanged,
}: {
  preview: Preview;
  roles: Record<string, ColumnRole>;
  onRole: (column: string, role: ColumnRole) => void;
  mappingChanged: boolean;
}) {
  const variables = [...new Set(Object.values(preview.mapping.variables))];
  return (
    <div className="space-y-4">
      <section aria-label="Column mapping">
        <h3 className="mb-2 text-sm font-semibold text-gray-900">Columns</h3>
        <Table>
          <TableHeader>
            <TableRow>
              <TableHead>Column</TableHead>
              <TableHead>Becomes</TableHead>
              <TableHead>Variable name</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {preview.columns.map((column) => {
              const role = roles[column] ?? { kind: "ignore" };
              return (
                <TableRow key={column}>
                  <TableCell className="font-mono text-xs">{column}</TableCell>
                  <TableCell>
                    <Select
                      aria-label={`What column ${column} becomes`}
                      value={role.kind}
                      onChange={(event) => {
                        const kind = event.target.value as ColumnRole["kind"];
                        onRole(column, kind === "variable" ? { kind, name: column } : { kind });
                      }}
                    >
                      <option value="variable">A variable</option>
                      <option value="expected">The expected output</option>
                      <option value="tags">The tags</option>
                      <option value="ignore">Nothing (ignored)</option>
                    </Select>
                  </TableCell>
                  <TableCell>
                    {role.kind === "variable" ? (
                      <Input
                        aria-label={`Variable name for column ${column}`}
                        value={role.name}
                        onChange={(event) => onRole(column, { kind: "variable", name: event.target.value })}
                      />
                    ) : (
                      <span className="text-gray-500">—</span>
                    )}
                  </TableCell>
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
      </section>
      {mappingChanged ? (
        <Alert tone="info" title="The mapping changed">
          Preview again to see the rows with the new mapping before importing.
        </Alert>
      ) : null}
      {preview.mappingProblems.length > 0 ? (
        <Alert tone="danger" title="The mapping cannot be used">
          {preview.mappingProblems.join(" ")}
        </Alert>
      ) : null}
      <p className="text-sm text-gray-700" role="status">
        {preview.totalRows} rows read: {preview.validRows} can be imported, {preview.errorCount} {preview.errorCount === 1 ? "has" : "have"} errors.
      </p>
      {preview.errors.length > 0 ? (
        <section aria-label="Row errors">
          <h3 className="mb-2 text-sm font-semibold text-red-800">Rows with errors (fix them, then preview again)</h3>
          <ul className="max-h-40 list-disc overflow-auto pl-5 text-sm text-red-800">
            {preview.errors.map((error) => (
              <li key={`${error.row}-${error.message}`}>{error.message}</li>
            ))}
          </ul>
        </section>
      ) : null}
      {preview.rows.length > 0 ? (
        <section aria-label="Preview of the first rows">
          <h3 className="mb-2 text-sm font-semibold text-gray-900">First {preview.rows.length} rows as items</h3>
          <div className="max-h-72 overflow-auto">
            <Table>
              <TableHeader>
                <TableRow>
                  <TableHead>Row</TableHead>
                  {variables.map((name) => (
                    <TableHead key={name}>{name}</TableHead>
                  ))}
                  <TableHead>Expected output</TableHead>
                  <TableHead>Tags</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {preview.rows.map((row) => (
                  <TableRow key={row.row}>
                    <TableCell className="tabular-nums">{row.row}</TableCell>
                    {variables.map((name) => (
                      <TableCell key={name} className="max-w-56 truncate">
                        {display(row.variables[name])}
                      </TableCell>
                    ))}
                    <TableCell className="max-w-56 truncate">{row.expectedOutput ?? "—"}</TableCell>
                    <TableCell>{row.tags?.join(", ") || "—"}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </div>
        </section>
      ) : null}
    </div>
  );
}

export function display(value: unknown): string {
  if (value === undefined || value === null) return "—";
  return typeof value === "string" ? value : JSON.stringify(value);
}
