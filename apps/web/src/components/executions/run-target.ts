"use client";

import type { ProviderOptionsKind } from "@sigil/validators";
import { skipToken, useQuery } from "@tanstack/react-query";
import { providerKindOf } from "@/components/providers/provider-options";
import { useMe } from "@/components/workspace/workspace-context";
import { useTRPC, useTRPCClient } from "@/trpc/client";

/**
 * What an execution of a prompt version needs before it starts: the version (it says whether it
 * accepts files) and the variables its template uses, as the server lists them
 * (`prompts.preview` of the stored version). `version` null means the prompt's current version.
 */
export function useRunTarget(promptId: string | null, version: number | null) {
  const trpc = useTRPC();
  const client = useTRPCClient();
  const prompt = useQuery(trpc.prompts.get.queryOptions(promptId ? { id: promptId } : skipToken));
  const resolved = version ?? prompt.data?.currentVersion ?? null;
  const versionRow = useQuery(trpc.prompts.getVersion.queryOptions(promptId && resolved !== null ? { id: promptId, version: resolved } : skipToken));
  const variables = useQuery({
    // A stored version never changes: its variables can be kept for the session.
    queryKey: ["sigil", "prompt-version-variables", promptId, resolved],
    queryFn: promptId && resolved !== null ? () => client.prompts.preview.mutate({ id: promptId, version: resolved, variables: {} }) : skipToken,
    staleTime: Infinity,
  });
  const error = prompt.error ?? versionRow.error ?? variables.error;
  return {
    prompt: prompt.data,
    version: versionRow.data,
    variables: variables.data?.variables,
    loading: promptId !== null && !error && (prompt.isPending || versionRow.isPending || variables.isPending),
    error,
  };
}

export interface RunProvider {
  identifier: string;
  defaultModel: string;
  /** Which options it takes (packages/validators/src/providers.ts). */
  kind: ProviderOptionsKind;
}

/**
 * Providers an execution may use: the built-in "template", and the workspace's active ones
 * (`providers.list`: members and admins alike; never a key or URL). Viewers cannot run: for them
 * only "template" is listed.
 */
export function useProviders(): RunProvider[] {
  const trpc = useTRPC();
  const me = useMe();
  const listed = useQuery({ ...trpc.providers.list.queryOptions({}), enabled: me.user.role !== "viewer", staleTime: 5 * 60_000 });
  const configured = (listed.data ?? []).map((provider) => ({ identifier: provider.identifier, defaultModel: provider.defaultModel, kind: provider.kind }));
  return [{ identifier: "template", defaultModel: "mustache", kind: "template" }, ...configured.filter((provider) => provider.identifier !== "template")];
}

/** The kind of a provider an execution may use ("template", a listed provider's), undefined when not listed. */
export function useProviderKind(identifier: string): ProviderOptionsKind | undefined {
  return providerKindOf(identifier, useProviders());
}
