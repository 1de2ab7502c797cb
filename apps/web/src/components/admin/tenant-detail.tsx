"use client";

import { isTenantFeature, updateTenantInput, type TenantFeature, type UpdateTenantInput } from "@sigil/validators";
import { useMutation, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useId, useRef, useState, type FormEvent, type ReactNode } from "react";
import { useUnsavedChanges } from "@/components/unsaved-changes/context";
import { Alert, ErrorAlert } from "@/components/ui/alert";
import { Button, buttonClasses } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from "@/components/ui/card";
import { Dialog } from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { PageHeader } from "@/components/ui/page-header";
import { ProgressBar } from "@/components/ui/progress-bar";
import { useToast } from "@/components/ui/toast";
import { useTRPC } from "@/trpc/client";
import type { RouterOutputs } from "@/trpc/types";
import { PlanBadge, SchemaBadge, TenantStatusBadge, type TenantPlan } from "./badges";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { bytesToMegabytes, formatBytes, formatMegabytes, formatNumber } from "./format";
import {
  FeatureCheckboxes,
  unknownFeatures,
  describeTokenBudget,
  limitsDraft,
  LimitsFields,
  parseLimits,
  planDefaultsDraft,
  PlanSelect,
  sameLimits,
  serverFieldErrors,
  describePlanDefaults,
  type FieldErrors,
  type LimitsDraft,
} from "./tenant-fields";
import { DateTime } from "@/components/ui/date-time";
import { useFocusWhenOpen } from "./focus-when-open";
import { RelativeTime } from "@/components/ui/relative-time";
import { TenantBackupCard } from "./backups";
import { MaintenanceCard } from "./tenant-maintenance";
import { useInvalidateTenant } from "./use-invalidate-tenant";
import { workspaceUrl } from "./workspace-url";
import { issuesByField } from "@/lib/form-errors";

type Tenant = RouterOutputs["tenants"]["getById"];

/** One tenant: usage against its limits, the edit form, suspend / reactivate and delete. */
export function TenantDetail({ id, workspaceUrlPattern }: { id: string; workspaceUrlPattern: string }) {
  const trpc = useTRPC();
  const { data: tenant } = useSuspenseQuery(trpc.tenants.getById.queryOptions({ id }));
  const url = workspaceUrl(workspaceUrlPattern, tenant.slug);

  return (
    <>
      <div className="mb-3">
        <Link href="/tenants" className="text-sm font-medium text-gray-600 hover:text-gray-900">
          <span aria-hidden="true">← </span>Back to the list
        </Link>
      </div>
      <PageHeader
        title={
          <span className="inline-flex flex-wrap items-center gap-2">
            {tenant.name}
            <TenantStatusBadge status={tenant.status} />
            <PlanBadge plan={tenant.plan} />
          </span>
        }
        description={
          <>
            <span className="font-mono">{tenant.slug}</span> · created <DateTime value={tenant.created_at} />
          </>
        }
        actions={
          <>
            <a href={url} target="_blank" rel="noreferrer" className={buttonClasses({ variant: "secondary" })}>
              Open workspace<span className="sr-only"> (opens in a new tab)</span>
            </a>
            <StatusAction tenant={tenant} />
            <DeleteTenant tenant={tenant} />
          </>
        }
      />
      {tenant.maintenance ? (
        <Alert tone="warning" title="This workspace is in maintenance" className="mb-6">
          Its users read but cannot change anything, and its executions wait, until maintenance ends. Why: {tenant.maintenance.reason}.
        </Alert>
      ) : null}
      {tenant.status !== "active" ? (
        <Alert tone="warning" title={`This workspace is ${tenant.status}`} className="mb-6">
          Its users cannot sign in and its API refuses every request until it is reactivated. Its data is kept.
        </Alert>
      ) : null}
      <div className="grid gap-6 lg:grid-cols-3">
        <div className="lg:col-span-2">
          <EditTenantForm tenant={tenant} />
        </div>
        <div className="space-y-6">
          <UsageCard tenant={tenant} />
          <MaintenanceCard tenant={tenant} />
          <TenantBackupCard tenant={tenant} />
          <Card>
            <CardHeader>
              <CardTitle>Details</CardTitle>
            </CardHeader>
            <CardContent>
              <dl className="space-y-3 text-sm">
                <Detail label="Tenant id">
                  <code className="font-mono text-xs break-all text-gray-800">{tenant.id}</code>
                </Detail>
                <Detail label="Workspace URL">
                  <a href={url} className="break-all text-brand-700 hover:underline">
                    {url}
                  </a>
                </Detail>
                {tenant.settings.domain ? <Detail label="Custom domain">{tenant.settings.domain}</Detail> : null}
                <Detail label="Last updated">
                  <DateTime value={tenant.updated_at} />
                </Detail>
                <Detail label="Subscription">{tenant.billing.subscription_id ?? "None"}</Detail>
              </dl>
            </CardContent>
          </Card>
        </div>
      </div>
    </>
  );
}

// A <dl> may only hold <div>-wrapped <dt>/<dd> groups: the wrapper takes the grid placement.
function Detail({ label, children, className }: { label: string; children: ReactNode; className?: string }) {
  return (
    <div className={className}>
      <dt className="text-xs font-medium text-gray-500">{label}</dt>
      <dd className="mt-0.5 text-gray-900">{children}</dd>
    </div>
  );
}

function UsageCard({ tenant }: { tenant: Tenant }) {
  const { usage, settings } = tenant;
  return (
    <Card>
      <CardHeader>
        <CardTitle>Usage</CardTitle>
        <CardDescription>This calendar month (UTC), against the plan&apos;s limits.</CardDescription>
      </CardHeader>
      <CardContent className="space-y-4">
        {usage.unavailable ? (
          <Alert tone="danger" title="The tenant's database could not be read">
            {usage.unavailable}
          </Alert>
        ) : null}
        <ProgressBar
          label="Seats in use"
          value={usage.users}
          max={settings.limits.users}
          valueText={`${formatNumber(usage.users)} of ${formatNumber(settings.limits.users)}`}
        />
        {usage.storageBytes !== null ? (
          <ProgressBar
            label="Stored files"
            value={bytesToMegabytes(usage.storageBytes)}
            max={settings.limits.storage}
            valueText={`${formatBytes(usage.storageBytes)} of ${formatMegabytes(settings.limits.storage)}`}
          />
        ) : null}
        {usage.executionsThisMonth !== null ? (
          <ProgressBar
            label="Executions this month"
            value={usage.executionsThisMonth}
            max={settings.limits.executions_per_month}
            valueText={`${formatNumber(usage.executionsThisMonth)} of ${formatNumber(settings.limits.executions_per_month)}`}
          />
        ) : null}
        <dl className="grid grid-cols-2 gap-3 border-t border-gray-100 pt-4 text-sm">
          <Detail label="Token budget">{describeTokenBudget(settings.limits.tokens_per_month)}</Detail>
          <Detail label="DB file size">{formatBytes(usage.databaseBytes)}</Detail>
          {tenant.placement === "postgres" ? <Detail label="Lives in">PostgreSQL (moved with sigil tenants move)</Detail> : null}
          <Detail label="Last activity">{usage.lastActivityAt ? <RelativeTime value={usage.lastActivityAt} /> : "None yet"}</Detail>
          <Detail label="Schema" className="col-span-2">
            <SchemaBadge {...usage.schema} />
          </Detail>
        </dl>
      </CardContent>
    </Card>
  );
}

interface EditDraft {
  name: string;
  plan: TenantPlan;
  limits: LimitsDraft;
  features: TenantFeature[];
  domain: string;
}

function draftOf(tenant: Pick<Tenant, "name" | "plan" | "settings">): EditDraft {
  return {
    name: tenant.name,
    plan: tenant.plan,
    limits: limitsDraft(tenant.settings.limits),
    features: tenant.settings.features.filter(isTenantFeature),
    domain: tenant.settings.domain ?? "",
  };
}

function EditTenantForm({ tenant }: { tenant: Tenant }) {
  const trpc = useTRPC();
  const toast = useToast();
  const formId = useId();
  const invalidate = useInvalidateTenant(tenant.id);
  const initial = draftOf(tenant);
  const [draft, setDraft] = useState<EditDraft>(initial);
  const [clientErrors, setClientErrors] = useState<FieldErrors>({});
  const submitted = useRef<EditDraft | null>(null);
  const save = useMutation(
    trpc.tenants.update.mutationOptions({
      onSuccess: async (updated) => {
        // The form shows what the server saved (normalised domain, trimmed name), unless
        // something was typed while saving: that stays, as unsaved changes.
        setDraft((current) => (JSON.stringify(current) === JSON.stringify(submitted.current) ? draftOf(updated) : current));
        toast({ title: "Changes saved", description: `${updated.name} is on the ${updated.plan} plan.`, tone: "success" });
        await invalidate();
      },
    }),
  );
  const update = (patch: Partial<EditDraft>) => setDraft((current) => ({ ...current, ...patch }));
  const dirty = JSON.stringify(draft) !== JSON.stringify(initial);
  useUnsavedChanges(dirty);

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    save.reset();
    const domain = draft.domain.trim();
    const input: UpdateTenantInput = {
      id: tenant.id,
      name: draft.name,
      plan: draft.plan,
      settings: { domain: domain === "" ? null : domain, features: draft.features, limits: parseLimits(draft.limits) },
    };
    const parsed = updateTenantInput.safeParse(input);
    if (!parsed.success) {
      setClientErrors(issuesByField(parsed.error.issues, "path"));
      return;
    }
    setClientErrors({});
    submitted.current = draft;
    save.mutate(parsed.data);
  };

  const server = serverFieldErrors(save.error);
  const errors: FieldErrors = { ...clientErrors, ...server.fields };

  return (
    <Card>
      <CardHeader>
        <CardTitle>Plan, limits and features</CardTitle>
        <CardDescription>Changes apply at once; the tenant&apos;s users see the new limits on their next request.</CardDescription>
      </CardHeader>
      <form id={formId} onSubmit={onSubmit} noValidate>
        <CardContent className="space-y-5">
          {server.general ? <ErrorAlert error={save.error} title="Could not save the changes" /> : null}
          <div className="grid gap-4 sm:grid-cols-2">
            <Field label="Name" error={errors.name}>
              {(props) => <Input {...props} name="name" value={draft.name} onChange={(event) => update({ name: event.target.value })} />}
            </Field>
            <PlanSelect
              value={draft.plan}
              error={errors.plan}
              hint={`Defaults: ${describePlanDefaults(draft.plan)}`}
              onChange={(plan) => update({ plan, ...(sameLimits(draft.limits, planDefaultsDraft(draft.plan)) ? { limits: planDefaultsDraft(plan) } : {}) })}
            />
          </div>
          <LimitsFields plan={draft.plan} value={draft.limits} onChange={(limits) => update({ limits })} errors={errors} errorPrefix="settings.limits" />
          <FeatureCheckboxes
            value={draft.features}
            onChange={(features) => update({ features })}
            error={errors["settings.features"]}
            unknown={unknownFeatures(tenant.settings.features)}
          />
          <Field
            label="Custom domain"
            error={errors["settings.domain"]}
            hint="Optional: a host name of your own (e.g. prompts.example.com). Empty to remove it."
          >
            {(props) => (
              <Input
                {...props}
                name="domain"
                spellCheck={false}
                autoComplete="off"
                placeholder="prompts.example.com"
                value={draft.domain}
                onChange={(event) => update({ domain: event.target.value })}
              />
            )}
          </Field>
        </CardContent>
        <CardFooter>
          {dirty ? <span className="mr-auto text-sm text-gray-600">Unsaved changes</span> : null}
          <Button
            variant="ghost"
            disabled={!dirty || save.isPending}
            onClick={() => {
              setDraft(initial);
              setClientErrors({});
              save.reset();
            }}
          >
            Discard
          </Button>
          <Button type="submit" loading={save.isPending} disabled={!dirty}>
            Save changes
          </Button>
        </CardFooter>
      </form>
    </Card>
  );
}

function StatusAction({ tenant }: { tenant: Tenant }) {
  const trpc = useTRPC();
  const toast = useToast();
  const invalidate = useInvalidateTenant(tenant.id);
  const [open, setOpen] = useState(false);
  const suspending = tenant.status === "active";
  const options = {
    onSuccess: async (updated: { slug: string; status: string }) => {
      await invalidate();
      setOpen(false);
      toast({ title: `${updated.slug} is ${updated.status}`, tone: "success" as const });
    },
  };
  const suspend = useMutation(trpc.tenants.suspend.mutationOptions(options));
  const reactivate = useMutation(trpc.tenants.reactivate.mutationOptions(options));
  const mutation = suspending ? suspend : reactivate;
  const label = suspending ? "Suspend" : "Reactivate";
  return (
    <>
      {/* Hidden from the accessibility tree while its dialog is open: "Suspend" then names the dialog's button only. */}
      <Button
        variant="secondary"
        aria-hidden={open || undefined}
        onClick={() => {
          mutation.reset();
          setOpen(true);
        }}
      >
        {label}
      </Button>
      <ConfirmDialog
        open={open}
        onClose={() => setOpen(false)}
        title={`${label} ${tenant.name}?`}
        description={
          suspending
            ? `Nobody can use ${tenant.slug} while it is suspended: sign-ins and API calls are refused with a "suspended" message. Its data is kept and you can reactivate it at any time.`
            : `${tenant.slug} becomes active again: its users can sign in and its API answers.`
        }
        confirmLabel={label}
        tone={suspending ? "danger" : "primary"}
        onConfirm={() => mutation.mutate({ id: tenant.id })}
        pending={mutation.isPending}
        error={mutation.error}
      />
    </>
  );
}

function DeleteTenant({ tenant }: { tenant: Tenant }) {
  const trpc = useTRPC();
  const router = useRouter();
  const toast = useToast();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [typed, setTyped] = useState("");
  const confirmRef = useFocusWhenOpen<HTMLInputElement>(open);
  const remove = useMutation(
    trpc.tenants.delete.mutationOptions({
      onSuccess: async () => {
        toast({
          title: `Tenant ${tenant.slug} deleted`,
          description: "Its database and users are gone; the admin audit log keeps the record.",
          tone: "success",
        });
        await Promise.all([
          queryClient.invalidateQueries({ queryKey: trpc.tenants.list.queryKey() }),
          queryClient.invalidateQueries({ queryKey: trpc.admin.stats.queryKey() }),
          queryClient.invalidateQueries({ queryKey: trpc.admin.migrationStatus.queryKey() }),
        ]);
        router.push("/tenants");
      },
    }),
  );
  const close = () => {
    setOpen(false);
    setTyped("");
    remove.reset();
  };
  const matches = typed === tenant.slug;
  return (
    <>
      <Button variant="danger" onClick={() => setOpen(true)} aria-hidden={open || undefined}>
        Delete
      </Button>
      <Dialog
        open={open}
        onClose={close}
        title={`Delete ${tenant.name}?`}
        description="This deletes the workspace for good: its database file, users, sessions and API keys. It cannot be undone."
        footer={
          <>
            <Button variant="secondary" onClick={close} disabled={remove.isPending}>
              Cancel
            </Button>
            <Button variant="danger" type="submit" form="delete-tenant-form" disabled={!matches} loading={remove.isPending || remove.isSuccess}>
              Delete tenant
            </Button>
          </>
        }
      >
        <form
          id="delete-tenant-form"
          className="space-y-3"
          onSubmit={(event) => {
            event.preventDefault();
            if (matches) remove.mutate({ id: tenant.id, confirmSlug: typed });
          }}
        >
          <ErrorAlert error={remove.error} title="Could not delete the tenant" />
          <Field label="Type the slug to confirm" hint={`Type ${tenant.slug} exactly.`}>
            {(props) => (
              <Input
                {...props}
                ref={confirmRef}
                name="confirm-slug"
                autoComplete="off"
                spellCheck={false}
                value={typed}
                onChange={(event) => setTyped(event.target.value)}
              />
            )}
          </Field>
        </form>
      </Dialog>
    </>
  );
}
