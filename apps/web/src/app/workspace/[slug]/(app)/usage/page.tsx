import type { Metadata } from "next";
import { isWorkspaceAdmin } from "@/components/members/session";
import { loadPlanLimits } from "@/components/usage/plan-limits";
import { DEFAULT_PRESET, presetRange } from "@/components/usage/usage-format";
import { UsageView } from "@/components/usage/usage-view";
import { HydrateClient, prefetch, trpc } from "@/trpc/server";

export const metadata: Metadata = { title: "Usage" };

/**
 * Every member may see the plan's use and the workspace's tokens and cost (viewer and up); who
 * holds the seats is for admins (users.list).
 */
export default async function UsagePage() {
  const isAdmin = await isWorkspaceAdmin();
  const [limits] = await Promise.all([
    loadPlanLimits(),
    prefetch(trpc.files.usage.queryOptions()),
    prefetch(trpc.executions.stats.queryOptions()),
    prefetch(trpc.usage.summary.queryOptions(presetRange(DEFAULT_PRESET))),
    isAdmin ? prefetch(trpc.users.list.queryOptions({})) : Promise.resolve(),
  ]);
  return (
    <HydrateClient>
      <UsageView seatLimit={limits?.users ?? null} />
    </HydrateClient>
  );
}
