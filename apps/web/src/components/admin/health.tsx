"use client";

import { PageHeader } from "@/components/ui/page-header";
import { MaintenanceRunPanel } from "./maintenance-run";

/**
 * A quick integrity check (SQLite's quick_check) of every tenant file, run on the server with
 * live progress; the results are paged, problems can be shown alone.
 */
export function Health() {
  return (
    <>
      <PageHeader title="Health" description="A quick integrity check (SQLite's quick_check) of every tenant database, with its size." />
      <MaintenanceRunPanel kind="health" />
    </>
  );
}
