import { Badge, type BadgeTone } from "@/components/ui/badge";
import type { RouterOutputs } from "@/trpc/types";

export type TenantStatus = RouterOutputs["tenants"]["list"]["tenants"][number]["status"];
export type TenantPlan = RouterOutputs["tenants"]["list"]["tenants"][number]["plan"];
/** As the control plane records it (unknown: never recorded), or as the integrity check reads the file (missing, unreadable). */
export type SchemaState = RouterOutputs["admin"]["migrationStatus"]["tenants"][number]["state"] | "missing" | "unreadable";

const STATUS_TONES: Record<TenantStatus, BadgeTone> = { active: "success", inactive: "neutral", suspended: "danger" };
const PLAN_TONES: Record<TenantPlan, BadgeTone> = { free: "neutral", pro: "brand", enterprise: "brand" };
const PLAN_LABELS: Record<TenantPlan, string> = { free: "Free", pro: "Pro", enterprise: "Enterprise" };

export function planLabel(plan: TenantPlan): string {
  return PLAN_LABELS[plan];
}

export function TenantStatusBadge({ status }: { status: TenantStatus }) {
  return <Badge tone={STATUS_TONES[status]}>{status}</Badge>;
}

export function PlanBadge({ plan }: { plan: TenantPlan }) {
  return (
    <Badge tone={PLAN_TONES[plan]} className={plan === "enterprise" ? "bg-brand-600 text-white ring-brand-700" : undefined}>
      {PLAN_LABELS[plan]}
    </Badge>
  );
}

const SCHEMA: Record<SchemaState, { tone: BadgeTone; label: string }> = {
  up_to_date: { tone: "success", label: "up to date" },
  behind: { tone: "warning", label: "behind" },
  missing: { tone: "danger", label: "file missing" },
  unreadable: { tone: "danger", label: "unreadable" },
  unknown: { tone: "neutral", label: "not recorded" },
};

export function schemaStateLabel(state: SchemaState): string {
  return SCHEMA[state].label;
}

/** "v5 / 5" and the state: the tenant file's schema version against the latest migration. */
export function SchemaBadge({ version, latest, state, stacked = false }: { version: number | null; latest: number; state: SchemaState; stacked?: boolean }) {
  return (
    <span className={stacked ? "inline-flex flex-col items-start gap-1 whitespace-nowrap" : "inline-flex items-center gap-2 whitespace-nowrap"}>
      <span className="text-gray-700 tabular-nums">
        {version === null ? "—" : `v${version}`}
        <span className="text-gray-500"> / {latest}</span>
      </span>
      <Badge tone={SCHEMA[state].tone}>{SCHEMA[state].label}</Badge>
    </span>
  );
}
