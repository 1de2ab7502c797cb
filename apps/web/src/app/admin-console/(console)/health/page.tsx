import type { Metadata } from "next";
import { SectionPlaceholder } from "@/components/section-placeholder";

export const metadata: Metadata = { title: "Health" };

export default function AdminHealthPage() {
  return <SectionPlaceholder title="Health" description="A quick integrity check of every tenant database." />;
}
