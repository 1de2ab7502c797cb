"use client";

import { useQuery } from "@tanstack/react-query";
import { useId, type ComponentProps } from "react";
import { useMe } from "@/components/workspace/workspace-context";
import { Input } from "@/components/ui/input";
import { useTRPC } from "@/trpc/client";

/**
 * A model name: free text, with the provider's own model list (providers.models, read from its
 * list endpoint) offered as suggestions to members and admins. For viewers, the built-in template
 * provider, a deactivated provider, or when the list cannot be fetched, it is a plain input.
 */
export function ModelInput({ provider, ...props }: Omit<ComponentProps<"input">, "list"> & { provider: string }) {
  const trpc = useTRPC();
  const me = useMe();
  const listId = useId();
  const enabled = provider !== "" && provider !== "template" && me.user.role !== "viewer";
  const models = useQuery({ ...trpc.providers.models.queryOptions({ identifier: provider }), enabled, staleTime: 5 * 60_000, retry: false });
  const names = models.data?.models ?? [];
  return (
    <>
      <Input {...props} list={names.length > 0 ? listId : undefined} autoComplete="off" spellCheck={false} />
      {names.length > 0 ? (
        <datalist id={listId} data-testid="model-options">
          {names.map((name) => (
            <option key={name} value={name} />
          ))}
        </datalist>
      ) : null}
    </>
  );
}
