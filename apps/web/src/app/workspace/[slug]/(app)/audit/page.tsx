import type { Metadata } from "next";
import { SectionPlaceholder } from "@/components/section-placeholder";

export const metadata: Metadata = { title: "Audit log" };

export default function AuditPage() {
  return <SectionPlaceholder title="Audit log" description="Who did what in this workspace, newest first." />;
}
