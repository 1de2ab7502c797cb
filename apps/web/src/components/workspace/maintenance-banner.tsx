"use client";

import { useQuery } from "@tanstack/react-query";
import { Alert } from "@/components/ui/alert";
import { DateTime } from "@/components/ui/date-time";
import { useTRPC } from "@/trpc/client";
import { useMe } from "./workspace-context";

/**
 * Shown on every signed-in page while the workspace is in maintenance (services/tenant-maintenance.ts
 * in @sigil/api): changes are refused with the reason and the expected end, reading works. Read
 * from `auth.me`, which the layout fetched for this page load and React Query refreshes.
 */
export function MaintenanceBanner() {
  const trpc = useTRPC();
  const initial = useMe();
  const me = useQuery({ ...trpc.auth.me.queryOptions(), initialData: initial }).data;
  const maintenance = me.tenant.maintenance;
  if (maintenance === null) return null;
  return (
    <Alert tone="warning" title="This workspace is in maintenance" className="mb-6">
      <p>
        Why: {maintenance.reason}. You can read everything; changes are refused until it ends
        {maintenance.until ? (
          <>
            {" "}
            (expected <DateTime value={maintenance.until} />)
          </>
        ) : null}
        .
      </p>
    </Alert>
  );
}
