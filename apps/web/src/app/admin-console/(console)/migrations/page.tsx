import type { Metadata } from "next";
import { SectionPlaceholder } from "@/components/section-placeholder";

export const metadata: Metadata = { title: "Migrations" };

export default function AdminMigrationsPage() {
  return <SectionPlaceholder title="Migrations" description="The schema version of every tenant database against the latest, and migrating them all." />;
}
