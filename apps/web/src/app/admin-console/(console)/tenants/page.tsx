import type { Metadata } from "next";
import { SectionPlaceholder } from "@/components/section-placeholder";

export const metadata: Metadata = { title: "Tenants" };

export default function AdminTenantsPage() {
  return <SectionPlaceholder title="Tenants" description="Every workspace with its plan, status, usage and schema version. Create, edit, suspend and delete." />;
}
