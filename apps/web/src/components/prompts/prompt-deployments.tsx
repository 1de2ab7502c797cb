"use client";

import { skipToken, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useId } from "react";
import { ErrorAlert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { useFeature, useWorkspaceHref } from "@/components/workspace/workspace-context";
import { useTRPC } from "@/trpc/client";
import type { RouterOutputs } from "@/trpc/types";
import { labelText, type VersionLabel } from "./versions";

export type PromptLabels = RouterOutputs["deployments"]["forPrompt"];
export type PromptLabel = PromptLabels["deployments"][number];

/** The prompt's deployments as labels on its versions; nothing (no request) while deployments are off. */
export function usePromptLabels(promptId: string) {
  const trpc = useTRPC();
  const enabled = useFeature("deployments");
  const query = useQuery(trpc.deployments.forPrompt.queryOptions(enabled ? { id: promptId } : skipToken));
  return { enabled, query, labels: query.data?.deployments ?? [] };
}

/** "production (pinned)", "staging (follows latest)" as badges. */
export function VersionLabels({ labels }: { labels: readonly VersionLabel[] }) {
  if (labels.length === 0) return null;
  return (
    <ul aria-label="Deployments" className="flex flex-wrap gap-1">
      {labels.map((label) => (
        <li key={label.id}>
          <Badge tone={label.tracking === "pinned" ? "brand" : "neutral"} className="font-mono whitespace-nowrap">
            {labelText(label)}
          </Badge>
        </li>
      ))}
    </ul>
  );
}

/**
 * The prompt page's deployments: the labels programs run this prompt by, each with its provider and
 * model and the version it serves (pinned, or the latest). Hidden while deployments are off.
 */
export function PromptDeployments({ promptId }: { promptId: string }) {
  const href = useWorkspaceHref();
  const headingId = useId();
  const { enabled, query, labels } = usePromptLabels(promptId);
  if (!enabled) return null;
  const listHref = `${href("/deployments")}?prompt=${promptId}`;
  return (
    <section aria-labelledby={headingId} className="mb-6 rounded-lg border border-gray-200 bg-white px-4 py-3 shadow-xs">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id={headingId} className="text-sm font-semibold text-gray-900">
          Deployments
        </h2>
        <p className="text-xs text-gray-600">Labels such as production or staging: a name programs run this prompt by.</p>
      </div>
      <ErrorAlert error={query.error} title="Could not load the deployments" />
      {query.isPending ? (
        <p className="mt-2 text-sm text-gray-600">Loading deployments…</p>
      ) : labels.length === 0 ? (
        <p className="mt-2 text-sm text-gray-600">Not deployed. Deploy a version from the Versions tab (admins).</p>
      ) : (
        <ul className="mt-2 divide-y divide-gray-100 text-sm">
          {labels.map((label) => (
            <li key={label.id} className="flex flex-wrap items-center gap-x-3 gap-y-1 py-1.5">
              <Link href={listHref} className="font-mono font-medium text-brand-700 hover:underline">
                {label.name}
              </Link>
              <span className="text-gray-600">
                {label.provider}/{label.model}
              </span>
              <Badge tone={label.tracking === "pinned" ? "brand" : "neutral"}>
                {label.tracking === "pinned" ? `pinned to v${label.servedVersion}` : `latest (v${label.servedVersion})`}
              </Badge>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
