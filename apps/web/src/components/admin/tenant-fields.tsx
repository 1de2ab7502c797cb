"use client";

import { PLAN_DEFAULT_LIMITS, TENANT_PLANS } from "@sigil/validators";
import { useState, type KeyboardEvent } from "react";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input, Select } from "@/components/ui/input";
import { cn } from "@/lib/cn";
import type { FieldErrors } from "@/lib/form-errors";
import { isClientError, trpcErrorCode } from "@/lib/trpc-errors";
import { planLabel, type TenantPlan } from "./badges";
import { formatMegabytes, formatNumber } from "./format";

export type LimitKey = "users" | "storage" | "executions_per_month";
/** Limits as typed (strings), converted on submit so a half-typed number is never rewritten. */
export type LimitsDraft = Record<LimitKey, string>;

export function limitsDraft(limits: Record<LimitKey, number>): LimitsDraft {
  return { users: String(limits.users), storage: String(limits.storage), executions_per_month: String(limits.executions_per_month) };
}

export function planDefaultsDraft(plan: TenantPlan): LimitsDraft {
  return limitsDraft(PLAN_DEFAULT_LIMITS[plan]);
}

export function parseLimits(draft: LimitsDraft): Record<LimitKey, number> {
  const toNumber = (value: string) => (value.trim() === "" ? Number.NaN : Number(value));
  return { users: toNumber(draft.users), storage: toNumber(draft.storage), executions_per_month: toNumber(draft.executions_per_month) };
}

export function sameLimits(a: LimitsDraft, b: LimitsDraft): boolean {
  return a.users === b.users && a.storage === b.storage && a.executions_per_month === b.executions_per_month;
}

export function describePlanDefaults(plan: TenantPlan): string {
  const limits = PLAN_DEFAULT_LIMITS[plan];
  return `${formatNumber(limits.users)} users · ${formatMegabytes(limits.storage)} · ${formatNumber(limits.executions_per_month)} executions/month`;
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

const LIMIT_FIELDS: { key: LimitKey; label: string; unit?: string; min: number }[] = [
  { key: "users", label: "User seats", min: 1 },
  { key: "storage", label: "Storage (MB)", min: 100 },
  { key: "executions_per_month", label: "Executions per month", min: 100 },
];

/** The three plan limits, with a reset to the plan's defaults. */
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
      <div className="grid gap-3 sm:grid-cols-3">
        {LIMIT_FIELDS.map((field) => (
          <Field key={field.key} label={field.label} error={errors[`${errorPrefix}.${field.key}`]}>
            {(props) => (
              <Input
                {...props}
                name={field.key}
                type="number"
                inputMode="numeric"
                min={field.min}
                step={1}
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

export const SUGGESTED_FEATURES = ["deployments", "files", "webhooks"] as const;

/**
 * A list of feature flags as removable chips, an input to add one (Enter or comma) and
 * one-click suggestions. The label belongs to the text input (from `Field`).
 */
export function FeaturesInput({
  value,
  onChange,
  id,
  describedBy,
  invalid,
}: {
  value: string[];
  onChange: (features: string[]) => void;
  id: string;
  describedBy: string | undefined;
  invalid: true | undefined;
}) {
  const [draft, setDraft] = useState("");
  const add = (raw: string) => {
    const names = raw
      .split(",")
      .map((name) => name.trim())
      .filter((name) => name !== "" && !value.includes(name));
    if (names.length > 0) onChange([...value, ...new Set(names)]);
    setDraft("");
  };
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === "Enter" || event.key === ",") {
      if (draft.trim() === "") {
        if (event.key === "Enter") return; // submits the form
      }
      event.preventDefault();
      add(draft);
    } else if (event.key === "Backspace" && draft === "" && value.length > 0) {
      onChange(value.slice(0, -1));
    }
  };
  const suggestions = SUGGESTED_FEATURES.filter((name) => !value.includes(name));
  return (
    <div className="space-y-2">
      <div
        className={cn(
          "flex min-h-10 flex-wrap items-center gap-1.5 rounded-md border border-gray-300 bg-white px-2 py-1.5 shadow-xs focus-within:border-brand-600 focus-within:outline-2 focus-within:-outline-offset-1 focus-within:outline-brand-600",
          invalid && "border-red-500",
        )}
      >
        <ul className="contents">
          {value.map((name) => (
            <li
              key={name}
              className="inline-flex items-center gap-1 rounded bg-brand-50 py-0.5 pr-1 pl-2 text-xs font-medium text-brand-700 ring-1 ring-brand-600/20 ring-inset"
            >
              {name}
              <button
                type="button"
                onClick={() => onChange(value.filter((item) => item !== name))}
                className="rounded p-0.5 text-brand-500 hover:bg-brand-100 hover:text-brand-800 focus-visible:outline-2 focus-visible:outline-brand-600"
              >
                <span className="sr-only">Remove {name}</span>
                <svg viewBox="0 0 20 20" fill="currentColor" className="size-3" aria-hidden="true">
                  <path d="M6.28 5.22a.75.75 0 0 0-1.06 1.06L8.94 10l-3.72 3.72a.75.75 0 1 0 1.06 1.06L10 11.06l3.72 3.72a.75.75 0 1 0 1.06-1.06L11.06 10l3.72-3.72a.75.75 0 0 0-1.06-1.06L10 8.94 6.28 5.22Z" />
                </svg>
              </button>
            </li>
          ))}
        </ul>
        <input
          id={id}
          aria-describedby={describedBy}
          aria-invalid={invalid}
          value={draft}
          onChange={(event) => setDraft(event.target.value)}
          onKeyDown={onKeyDown}
          onBlur={() => add(draft)}
          placeholder={value.length === 0 ? "Type a feature and press Enter" : "Add another"}
          className="h-7 min-w-32 flex-1 border-0 bg-transparent px-1 text-sm text-gray-900 placeholder:text-gray-400 focus:outline-none"
        />
      </div>
      {suggestions.length > 0 ? (
        <div className="flex flex-wrap items-center gap-1.5 text-xs text-gray-500">
          <span>Suggestions:</span>
          {suggestions.map((name) => (
            <button
              key={name}
              type="button"
              onClick={() => onChange([...value, name])}
              className="rounded border border-dashed border-gray-300 px-1.5 py-0.5 text-gray-700 hover:border-brand-400 hover:text-brand-700 focus-visible:outline-2 focus-visible:outline-brand-600"
            >
              <span className="sr-only">Add feature </span>+ {name}
            </button>
          ))}
        </div>
      ) : null}
    </div>
  );
}
