"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { useMe, useWorkspaceHref } from "@/components/workspace/workspace-context";
import { ErrorAlert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { DateTime } from "@/components/ui/date-time";
import { EmptyState } from "@/components/ui/empty-state";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { PageHeader } from "@/components/ui/page-header";
import { Spinner } from "@/components/ui/spinner";
import { Table, TableBody, TableCaption, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { fieldErrorsOf } from "@/lib/trpc-errors";
import { useTRPC } from "@/trpc/client";

/** The datasets of the workspace with their item counts, and a form to create one. */
export function DatasetsView() {
  const trpc = useTRPC();
  const me = useMe();
  const href = useWorkspaceHref();
  const list = useQuery(trpc.datasets.list.queryOptions({ pageSize: 100 }));
  const canWrite = me.user.role !== "viewer";
  return (
    <>
      <PageHeader
        title="Datasets"
        description="Sets of inputs to run prompts over: import them from CSV, JSON or text, then run one or several versions over every item."
      />
      {canWrite ? <CreateDataset /> : null}
      <section aria-labelledby="datasets-heading" className="mt-8">
        <h2 id="datasets-heading" className="mb-3 text-base font-semibold text-gray-900">
          All datasets
        </h2>
        {list.isPending ? (
          <Spinner />
        ) : list.error ? (
          <ErrorAlert error={list.error} title="Could not load the datasets" />
        ) : list.data.total === 0 ? (
          <EmptyState title="No datasets yet" description="Create a dataset above, then add or import its items." />
        ) : (
          <Table>
            <TableCaption className="sr-only">Datasets, most recently changed first</TableCaption>
            <TableHeader>
              <TableRow>
                <TableHead>Name</TableHead>
                <TableHead className="text-right">Items</TableHead>
                <TableHead>Changed</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {list.data.data.map((dataset) => (
                <TableRow key={dataset.id}>
                  <TableCell className="font-medium">
                    <Link href={href(`/datasets/${dataset.id}`)} className="text-indigo-700 hover:underline">
                      {dataset.name}
                    </Link>
                    {dataset.description ? <p className="text-xs text-gray-500">{dataset.description}</p> : null}
                  </TableCell>
                  <TableCell className="text-right tabular-nums">{dataset.itemCount}</TableCell>
                  <TableCell className="whitespace-nowrap text-gray-600">
                    <DateTime value={dataset.updatedAt} />
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </section>
    </>
  );
}

function CreateDataset() {
  const trpc = useTRPC();
  const router = useRouter();
  const href = useWorkspaceHref();
  const queryClient = useQueryClient();
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const create = useMutation(
    trpc.datasets.create.mutationOptions({
      onSuccess: async (dataset) => {
        await queryClient.invalidateQueries({ queryKey: trpc.datasets.list.queryKey() });
        router.push(href(`/datasets/${dataset.id}`));
      },
    }),
  );
  const errors = fieldErrorsOf(create.error);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate({ name, description });
  };
  return (
    <Card>
      <CardHeader>
        <CardTitle>New dataset</CardTitle>
      </CardHeader>
      <CardContent>
        <form onSubmit={submit} className="grid items-end gap-4 sm:grid-cols-[1fr_2fr_auto]" noValidate>
          <Field label="Name" error={errors.name}>
            {(props) => <Input {...props} name="name" value={name} onChange={(event) => setName(event.target.value)} required />}
          </Field>
          <Field label="Description" optional error={errors.description}>
            {(props) => <Input {...props} name="description" value={description} onChange={(event) => setDescription(event.target.value)} />}
          </Field>
          <Button type="submit" loading={create.isPending}>
            Create dataset
          </Button>
        </form>
        {create.error && !errors.name && !errors.description ? <ErrorAlert className="mt-4" error={create.error} title="Could not create the dataset" /> : null}
      </CardContent>
    </Card>
  );
}
