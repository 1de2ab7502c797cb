import type { Metadata } from "next";
import { SectionPlaceholder } from "@/components/section-placeholder";

export const metadata: Metadata = { title: "Audit log" };

export default function AdminAuditPage() {
  return <SectionPlaceholder title="Audit log" description="What system administrators did, newest first." />;
}
