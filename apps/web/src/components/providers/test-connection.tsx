"use client";

import { useMutation } from "@tanstack/react-query";
import { Button } from "@/components/ui/button";
import { useTRPC } from "@/trpc/client";
import { cn } from "@/lib/cn";

/**
 * "Test connection": one cheap real call to the saved provider (its model list); the answer — ok,
 * or the provider's own error in a sentence — shows next to the button.
 */
export function TestConnection({ identifier, className }: { identifier: string; className?: string }) {
  const trpc = useTRPC();
  const test = useMutation(trpc.settings.testProvider.mutationOptions());
  const result = test.data;
  return (
    <div className={cn("flex min-w-0 flex-wrap items-center gap-x-3 gap-y-1", className)}>
      <Button variant="secondary" size="sm" loading={test.isPending} onClick={() => test.mutate({ identifier })}>
        Test connection<span className="sr-only"> of provider {identifier}</span>
      </Button>
      <p role="status" aria-live="polite" className="min-w-0 text-xs leading-5" data-testid={`test-result-${identifier}`}>
        {test.isPending ? null : test.error ? (
          <span className="text-red-700">{test.error.message}</span>
        ) : result ? (
          <span className={result.ok ? "text-green-700" : "text-red-700"}>
            {result.ok ? "✓ " : "✗ "}
            {result.message} <span className="text-gray-500">({result.latencyMs} ms)</span>
          </span>
        ) : null}
      </p>
    </div>
  );
}
