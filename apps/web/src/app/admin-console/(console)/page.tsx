import type { Metadata } from "next";
import { SectionPlaceholder } from "@/components/section-placeholder";

export const metadata: Metadata = { title: "Overview" };

export default function AdminOverviewPage() {
  return <SectionPlaceholder title="Overview" description="The installation at a glance: tenants by status and plan, users, executions this month, storage." />;
}
