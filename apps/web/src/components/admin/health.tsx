"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useCallback } from "react";
import { PageHeader } from "@/components/ui/page-header";
import { useTRPC } from "@/trpc/client";
import { BackupsPanel, useBackupsUnavailable } from "./backups";
import { MaintenanceRunPanel } from "./maintenance-run";

/**
 * A quick integrity check (SQLite's quick_check) of every tenant file, run on the server with
 * live progress; the results are paged, problems can be shown alone. Below it, the usage repair
 * (packages/db/src/control-plane-repair.ts) as a run of the same kind.
 */
export function Health() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const backupsChanged = useCallback(() => void queryClient.invalidateQueries({ queryKey: trpc.tenants.backups.queryKey() }), [queryClient, trpc]);
  // Where backups do not apply, BackupsPanel says why and there is nothing to start.
  const backupsUnavailable = useBackupsUnavailable() !== null;
  return (
    <>
      <PageHeader title="Health" description="A quick integrity check (SQLite's quick_check) of every tenant database, with its size." />
      <MaintenanceRunPanel kind="health" />
      <div className="mt-6">
        <MaintenanceRunPanel
          kind="repair"
          explanation="Recomputes the dashboard's usage numbers (storage, files, prompts, executions this month, pending work) from each tenant's own file and fixes those that differ."
        />
      </div>
      <div className="mt-6 space-y-6">
        {backupsUnavailable ? null : (
          <MaintenanceRunPanel
            kind="backup"
            onFinished={backupsChanged}
            explanation="One backup set of shared.sqlite and every tenant file, taken by the web server into the backup folder below (files unchanged since the previous set are linked, not copied)."
          />
        )}
        <BackupsPanel />
      </div>
    </>
  );
}
