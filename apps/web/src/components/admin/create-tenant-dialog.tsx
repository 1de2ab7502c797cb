"use client";

import { createTenantInput, TENANT_FEATURES, tenantPlan, type CreateTenantInput, type TenantFeature } from "@sigil/validators";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useId, useMemo, useState, type FormEvent } from "react";
import { Alert, ErrorAlert } from "@/components/ui/alert";
import { Button, buttonClasses } from "@/components/ui/button";
import { CopyField } from "@/components/ui/copy-button";
import { Dialog } from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { useToast } from "@/components/ui/toast";
import { UnsavedChanges } from "@/components/unsaved-changes/context";
import { DraftRestored } from "@/components/unsaved-changes/draft-restored";
import { useFormDraft } from "@/components/unsaved-changes/use-form-draft";
import { hasStringFields, isStringRecord } from "@/lib/drafts";
import { useSystemAdmin } from "./admin-context";
import { useTRPC } from "@/trpc/client";
import type { RouterOutputs } from "@/trpc/types";
import type { TenantPlan } from "./badges";
import { formatDateTime, slugify } from "./format";
import {
  FeatureCheckboxes,
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
import { useFocusWhenOpen } from "./focus-when-open";
import { workspaceUrl } from "./workspace-url";
import { issuesByField } from "@/lib/form-errors";

type Created = RouterOutputs["tenants"]["create"];

interface Draft {
  name: string;
  slug: string;
  plan: TenantPlan;
  ownerEmail: string;
  ownerName: string;
  ownerPassword: string;
  features: TenantFeature[];
  limits: LimitsDraft;
  domain: string;
}

const EMPTY: Draft = {
  name: "",
  slug: "",
  plan: "free",
  ownerEmail: "",
  ownerName: "",
  ownerPassword: "",
  // A new workspace gets every feature unless unchecked.
  features: [...TENANT_FEATURES],
  limits: planDefaultsDraft("free"),
  domain: "",
};

/** What a reload keeps: everything but the owner's password, which is never written to storage. */
type StoredDraft = Omit<Draft, "ownerPassword"> & { slugEdited: boolean };

function isStoredDraft(value: unknown): value is StoredDraft {
  return (
    hasStringFields(value, ["name", "slug", "ownerEmail", "ownerName", "domain"]) &&
    tenantPlan.safeParse(value.plan).success &&
    Array.isArray(value.features) &&
    value.features.every((feature) => typeof feature === "string") &&
    hasStringFields(value.limits, ["users", "storage", "executions_per_month", "tokens_per_month"]) &&
    isStringRecord(value.limits) &&
    typeof value.slugEdited === "boolean"
  );
}

function sameDraft(a: Draft, b: Draft): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function toInput(draft: Draft): CreateTenantInput {
  const domain = draft.domain.trim();
  return {
    name: draft.name,
    slug: draft.slug.trim(),
    plan: draft.plan,
    settings: { ...(domain === "" ? {} : { domain }), features: draft.features, limits: parseLimits(draft.limits) },
    owner: { email: draft.ownerEmail, name: draft.ownerName, ...(draft.ownerPassword === "" ? {} : { password: draft.ownerPassword }) },
  };
}

/**
 * "Create tenant": the workspace (name, slug, plan, limits prefilled from the plan, features,
 * custom domain) and its owner. With a password the owner can sign in at once; without one the
 * owner is invited and the invitation link is shown here, once.
 */
export function CreateTenantDialog({ open, onClose, workspaceUrlPattern }: { open: boolean; onClose: () => void; workspaceUrlPattern: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const formId = useId();
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [slugEdited, setSlugEdited] = useState(false);
  const [clientErrors, setClientErrors] = useState<FieldErrors>({});
  const [created, setCreated] = useState<Created | null>(null);
  const nameRef = useFocusWhenOpen<HTMLInputElement>(open && created === null);
  const admin = useSystemAdmin();
  const dirty = open && created === null && !sameDraft(draft, EMPTY);
  const storedValue = useMemo<StoredDraft>(() => {
    const { ownerPassword: _password, ...kept } = draft;
    return { ...kept, slugEdited };
  }, [draft, slugEdited]);
  const stored = useFormDraft<StoredDraft>({
    scope: `admin/${admin.id}`,
    form: "create-tenant",
    value: storedValue,
    dirty,
    active: open,
    accept: isStoredDraft,
    restore: ({ slugEdited: restoredSlugEdited, ...restored }) => {
      setDraft({ ...restored, ownerPassword: "" });
      setSlugEdited(restoredSlugEdited);
    },
  });

  const create = useMutation(
    trpc.tenants.create.mutationOptions({
      onSuccess: async (result) => {
        await Promise.all([
          queryClient.invalidateQueries({ queryKey: trpc.tenants.list.queryKey() }),
          queryClient.invalidateQueries({ queryKey: trpc.admin.stats.queryKey() }),
          queryClient.invalidateQueries({ queryKey: trpc.admin.migrationStatus.queryKey() }),
        ]);
        toast({
          title: `Tenant ${result.tenant.slug} created`,
          description: result.invitation ? "Share the invitation link with the owner." : `${result.owner.email} can sign in now.`,
          tone: "success",
        });
        stored.clear();
        // The next step: open the new workspace (and, for an invited owner, copy the link first).
        setCreated(result);
      },
    }),
  );

  const reset = () => {
    setDraft(EMPTY);
    setSlugEdited(false);
    setClientErrors({});
    setCreated(null);
    create.reset();
  };

  const close = () => {
    // After a tenant was created, the dialog starts empty next time (a link is not shown again).
    if (created) reset();
    onClose();
  };

  const update = (patch: Partial<Draft>) => setDraft((current) => ({ ...current, ...patch }));

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    create.reset();
    const parsed = createTenantInput.safeParse(toInput(draft));
    if (!parsed.success) {
      setClientErrors(issuesByField(parsed.error.issues, "path"));
      return;
    }
    setClientErrors({});
    create.mutate(parsed.data);
  };

  const server = serverFieldErrors(create.error);
  const errors: FieldErrors = { ...clientErrors, ...server.fields };
  if (created) {
    const workspace = workspaceUrl(workspaceUrlPattern, created.tenant.slug);
    const invitation = created.invitation;
    return (
      <Dialog
        open={open}
        onClose={close}
        title={`Tenant ${created.tenant.name} created`}
        description={
          invitation
            ? "The owner has no password yet: send them this invitation link to choose one."
            : `${created.owner.email} can sign in at ${workspace} now.`
        }
        className="max-w-xl"
        footer={
          <>
            <Link href={`/tenants/${created.tenant.id}`} className={buttonClasses({ variant: "secondary" })} onClick={close}>
              Open tenant
            </Link>
            <a href={workspace} target="_blank" rel="noreferrer" className={buttonClasses({ variant: "secondary" })}>
              Open workspace<span className="sr-only"> (new tab)</span>
            </a>
            <Button onClick={close}>Done</Button>
          </>
        }
      >
        {invitation ? (
          <div className="space-y-4">
            <Alert tone="warning" title="Shown only once">
              Copy the link now: it cannot be shown again. It expires on {formatDateTime(invitation.expiresAt)}.
            </Alert>
            <CopyField
              label="Invitation link"
              value={`${workspace}/invite/${encodeURIComponent(invitation.token)}`}
              hint={`For ${created.owner.name} <${created.owner.email}>, owner of ${created.tenant.slug}.`}
            />
          </div>
        ) : null}
      </Dialog>
    );
  }

  return (
    <Dialog
      open={open}
      onClose={close}
      title="Create tenant"
      description="A new workspace with its own database, and its first administrator."
      className="max-w-2xl"
      footer={
        <>
          <Button variant="secondary" onClick={close} disabled={create.isPending}>
            Cancel
          </Button>
          <Button type="submit" form={formId} loading={create.isPending}>
            Create tenant
          </Button>
        </>
      }
    >
      <form id={formId} onSubmit={onSubmit} noValidate className="space-y-6">
        <UnsavedChanges dirty={dirty} />
        {stored.restored ? (
          <DraftRestored
            onDiscard={() => {
              stored.clear();
              reset();
            }}
          />
        ) : null}
        {server.general ? <ErrorAlert error={create.error} title="Could not create the tenant" /> : null}
        {Object.keys(clientErrors).length > 0 ? (
          <Alert tone="danger" title="Check the highlighted fields">
            Some values are missing or not valid.
          </Alert>
        ) : null}

        <section aria-labelledby={`${formId}-workspace`} className="space-y-3">
          <h3 id={`${formId}-workspace`} className="text-sm font-semibold text-gray-900">
            Workspace
          </h3>
          <div className="grid gap-3 sm:grid-cols-2">
            <Field label="Name" error={errors.name}>
              {(props) => (
                <Input
                  {...props}
                  ref={nameRef}
                  name="name"
                  autoComplete="organization"
                  value={draft.name}
                  onChange={(event) => update({ name: event.target.value, ...(slugEdited ? {} : { slug: slugify(event.target.value) }) })}
                />
              )}
            </Field>
            <Field
              label="Slug"
              error={errors.slug}
              hint={draft.slug ? `${draft.slug}.${hostOf(workspaceUrlPattern)}` : "Lower-case letters, digits and hyphens: the workspace's subdomain."}
            >
              {(props) => (
                <Input
                  {...props}
                  name="slug"
                  autoComplete="off"
                  spellCheck={false}
                  value={draft.slug}
                  onChange={(event) => {
                    setSlugEdited(event.target.value !== "");
                    update({ slug: event.target.value });
                  }}
                />
              )}
            </Field>
          </div>
          <PlanSelect
            value={draft.plan}
            error={errors.plan}
            hint={`Defaults: ${describePlanDefaults(draft.plan)}`}
            onChange={(plan) =>
              // Limits follow the plan until someone changed them.
              update({ plan, ...(sameLimits(draft.limits, planDefaultsDraft(draft.plan)) ? { limits: planDefaultsDraft(plan) } : {}) })
            }
          />
        </section>

        <section aria-labelledby={`${formId}-owner`} className="space-y-3">
          <h3 id={`${formId}-owner`} className="text-sm font-semibold text-gray-900">
            Owner
          </h3>
          <div className="grid gap-3 sm:grid-cols-2">
            <Field label="Owner email" error={errors["owner.email"] ?? errors.owner}>
              {(props) => (
                <Input
                  {...props}
                  name="owner-email"
                  type="email"
                  autoComplete="off"
                  value={draft.ownerEmail}
                  onChange={(event) => update({ ownerEmail: event.target.value })}
                />
              )}
            </Field>
            <Field label="Owner name" error={errors["owner.name"]}>
              {(props) => (
                <Input
                  {...props}
                  name="owner-name"
                  autoComplete="off"
                  value={draft.ownerName}
                  onChange={(event) => update({ ownerName: event.target.value })}
                />
              )}
            </Field>
          </div>
          <Field
            label="Owner password"
            error={errors["owner.password"]}
            hint="Optional, at least 10 characters. Leave it empty to invite the owner instead: you get a link to send them, shown once."
          >
            {(props) => (
              <Input
                {...props}
                name="owner-password"
                type="password"
                autoComplete="new-password"
                value={draft.ownerPassword}
                onChange={(event) => update({ ownerPassword: event.target.value })}
              />
            )}
          </Field>
        </section>

        <section aria-labelledby={`${formId}-settings`} className="space-y-4">
          <h3 id={`${formId}-settings`} className="text-sm font-semibold text-gray-900">
            Settings
          </h3>
          <LimitsFields plan={draft.plan} value={draft.limits} onChange={(limits) => update({ limits })} errors={errors} errorPrefix="settings.limits" />
          <FeatureCheckboxes value={draft.features} onChange={(features) => update({ features })} error={errors["settings.features"]} />
          <Field label="Custom domain" error={errors["settings.domain"]} hint="Optional: a host name of your own, e.g. prompts.example.com.">
            {(props) => (
              <Input
                {...props}
                name="domain"
                autoComplete="off"
                spellCheck={false}
                placeholder="prompts.example.com"
                value={draft.domain}
                onChange={(event) => update({ domain: event.target.value })}
              />
            )}
          </Field>
        </section>
      </form>
    </Dialog>
  );
}

function hostOf(pattern: string): string {
  // "http://{slug}.localhost:3000" → "localhost:3000"
  return pattern.replace(/^[a-z]+:\/\/\{slug\}\./, "");
}
