"use client";

import {
  isTenantFeature,
  MIN_TOKENS_PER_MONTH,
  PLAN_DEFAULT_LIMITS,
  TENANT_FEATURE_DESCRIPTIONS,
  TENANT_FEATURES,
  TENANT_PLANS,
  type TenantFeature,
} from "@sigil/validators";
import { Checkbox, CheckboxGroup } from "@/components/ui/checkbox";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input, Select } from "@/components/ui/input";
import type { FieldErrors } from "@/lib/form-errors";
import { isClientError, trpcErrorCode } from "@/lib/trpc-errors";
import { planLabel, type TenantPlan } from "./badges";
import { formatMegabytes, formatNumber } from "./format";

export type LimitKey = "users" | "storage" | "executions_per_month" | "tokens_per_month";
/** Limits as typed (strings), converted on submit so a half-typed number is never rewritten. An empty token budget means none. */
export type LimitsDraft = Record<LimitKey, string>;

interface Limits {
  users: number;
  storage: number;
  executions_per_month: number;
  /** Null: no token budget. */
  tokens_per_month: number | null;
}

export function limitsDraft(limits: Omit<Limits, "tokens_per_month"> & { tokens_per_month?: number | null | undefined }): LimitsDraft {
  return {
    users: String(limits.users),
    storage: String(limits.storage),
    executions_per_month: String(limits.executions_per_month),
    tokens_per_month: limits.tokens_per_month == null ? "" : String(limits.tokens_per_month),
  };
}

export function planDefaultsDraft(plan: TenantPlan): LimitsDraft {
  return limitsDraft(PLAN_DEFAULT_LIMITS[plan]);
}

export function parseLimits(draft: LimitsDraft): Limits {
  const toNumber = (value: string) => (value.trim() === "" ? Number.NaN : Number(value));
  return {
    users: toNumber(draft.users),
    storage: toNumber(draft.storage),
    executions_per_month: toNumber(draft.executions_per_month),
    tokens_per_month: draft.tokens_per_month.trim() === "" ? null : toNumber(draft.tokens_per_month),
  };
}

export function sameLimits(a: LimitsDraft, b: LimitsDraft): boolean {
  return (
    a.users === b.users &&
    a.storage === b.storage &&
    a.executions_per_month === b.executions_per_month &&
    a.tokens_per_month.trim() === b.tokens_per_month.trim()
  );
}

/** "1,000,000 tokens/month", or "no token budget". */
export function describeTokenBudget(limit: number | null | undefined): string {
  return limit == null ? "no token budget" : `${formatNumber(limit)} tokens/month`;
}

export function describePlanDefaults(plan: TenantPlan): string {
  const limits = PLAN_DEFAULT_LIMITS[plan];
  return `${formatNumber(limits.users)} users · ${formatMegabytes(limits.storage)} · ${formatNumber(limits.executions_per_month)} executions/month · ${describeTokenBudget(limits.tokens_per_month)}`;
}

/** Field errors keyed by their path ("owner.email", "settings.limits.users"), first message each. */
export type { FieldErrors };

/**
 * The server's error placed at the field it is about: zod field errors (top-level fields), a
 * taken slug (CONFLICT), a refused or taken custom domain. `general` is true when it belongs to
 * no field and should be shown above the form.
 */
export function serverFieldErrors(error: unknown): { fields: FieldErrors; general: boolean } {
  if (error === null || error === undefined) return { fields: {}, general: false };
  const fields: FieldErrors = {};
  const data = (error as { data?: { zodError?: { fieldErrors?: Record<string, string[] | undefined> } | null } }).data;
  for (const [field, messages] of Object.entries(data?.zodError?.fieldErrors ?? {})) {
    if (messages?.[0] && ["name", "slug", "plan"].includes(field)) fields[field] = messages[0];
  }
  const message = error instanceof Error ? error.message : "";
  const code = trpcErrorCode(error);
  if (Object.keys(fields).length === 0 && isClientError(error)) {
    if (code === "CONFLICT" && /\bslug\b/i.test(message)) fields.slug = message;
    if (/\bdomain\b/i.test(message)) fields["settings.domain"] = message;
  }
  return { fields, general: Object.keys(fields).length === 0 };
}

export function PlanSelect({ value, onChange, error, hint }: { value: TenantPlan; onChange: (plan: TenantPlan) => void; error?: string; hint?: string }) {
  return (
    <Field label="Plan" error={error} hint={hint}>
      {(props) => (
        <Select {...props} name="plan" value={value} onChange={(event) => onChange(event.target.value as TenantPlan)}>
          {TENANT_PLANS.map((plan) => (
            <option key={plan} value={plan}>
              {planLabel(plan)}
            </option>
          ))}
        </Select>
      )}
    </Field>
  );
}

const LIMIT_FIELDS: { key: LimitKey; label: string; min: number; hint?: string; optional?: boolean }[] = [
  { key: "users", label: "User seats", min: 1 },
  { key: "storage", label: "Storage (MB)", min: 100 },
  { key: "executions_per_month", label: "Executions per month", min: 100 },
  {
    key: "tokens_per_month",
    label: "Tokens per month",
    min: MIN_TOKENS_PER_MONTH,
    hint: "Input + output tokens. Empty: no token budget.",
    optional: true,
  },
];

/** The plan limits (the token budget optional), with a reset to the plan's defaults. */
export function LimitsFields({
  plan,
  value,
  onChange,
  errors,
  errorPrefix,
}: {
  plan: TenantPlan;
  value: LimitsDraft;
  onChange: (limits: LimitsDraft) => void;
  errors: FieldErrors;
  /** Path of the limits in the input: "settings.limits". */
  errorPrefix: string;
}) {
  const defaults = planDefaultsDraft(plan);
  const isDefault = sameLimits(value, defaults);
  return (
    <fieldset className="space-y-3">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <legend className="text-sm font-medium text-gray-800">Limits</legend>
        {isDefault ? (
          <span className="text-xs text-gray-500">{planLabel(plan)} plan defaults</span>
        ) : (
          <Button size="sm" variant="ghost" onClick={() => onChange(defaults)}>
            Use {planLabel(plan)} defaults
          </Button>
        )}
      </div>
      <div className="grid gap-3 sm:grid-cols-2">
        {LIMIT_FIELDS.map((field) => (
          <Field key={field.key} label={field.label} hint={field.hint} optional={field.optional} error={errors[`${errorPrefix}.${field.key}`]}>
            {(props) => (
              <Input
                {...props}
                name={field.key}
                type="number"
                inputMode="numeric"
                min={field.min}
                step={1}
                required={!field.optional}
                placeholder={field.optional ? "No budget" : undefined}
                value={value[field.key]}
                onChange={(event) => onChange({ ...value, [field.key]: event.target.value })}
              />
            )}
          </Field>
        ))}
      </div>
    </fieldset>
  );
}

/** The features a tenant's stored list names that Sigil does not have (from before they were checked). */
export function unknownFeatures(stored: readonly string[]): string[] {
  return stored.filter((name) => !isTenantFeature(name));
}

/**
 * The workspace's features as checkboxes, each with what it gives. A stored name Sigil does not
 * have is shown as such: it does nothing, and saving the form drops it.
 */
export function FeatureCheckboxes({
  value,
  onChange,
  error,
  unknown = [],
}: {
  value: readonly TenantFeature[];
  onChange: (features: TenantFeature[]) => void;
  error: string | undefined;
  unknown?: readonly string[];
}) {
  return (
    <CheckboxGroup
      legend="Features"
      hint="What this workspace can use. A feature that is off is hidden from its members, and the API refuses it (for API keys too)."
      error={error}
    >
      {TENANT_FEATURES.map((feature) => (
        <Checkbox
          key={feature}
          name="features"
          value={feature}
          label={TENANT_FEATURE_DESCRIPTIONS[feature].label}
          description={TENANT_FEATURE_DESCRIPTIONS[feature].description}
          checked={value.includes(feature)}
          onChange={(event) =>
            onChange(
              event.target.checked ? TENANT_FEATURES.filter((name) => name === feature || value.includes(name)) : value.filter((name) => name !== feature),
            )
          }
        />
      ))}
      {unknown.length > 0 ? (
        <p className="rounded-md bg-amber-50 px-3 py-2 text-xs text-amber-900">
          Stored but not a Sigil feature: {unknown.map((name) => `“${name}”`).join(", ")}. {unknown.length === 1 ? "It does" : "They do"} nothing; saving
          removes {unknown.length === 1 ? "it" : "them"}.
        </p>
      ) : null}
    </CheckboxGroup>
  );
}
