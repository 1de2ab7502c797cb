"use client";

import { PageHeader } from "@/components/ui/page-header";
import { BackupsPanel } from "./backups";
import { MaintenanceRunPanel } from "./maintenance-run";

/**
 * A quick integrity check (SQLite's quick_check) of every tenant file, run on the server with
 * live progress; the results are paged, problems can be shown alone. Below it, the usage repair
 * (packages/db/src/control-plane-repair.ts) as a run of the same kind.
 */
export function Health() {
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
      <div className="mt-6">
        <BackupsPanel />
      </div>
    </>
  );
}
