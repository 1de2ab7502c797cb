import type { Metadata } from "next";
import { SectionPlaceholder } from "@/components/section-placeholder";

export const metadata: Metadata = { title: "API keys" };

export default function AdminApiKeysPage() {
  return <SectionPlaceholder title="API keys" description="System-administrator API keys (sgla_…) for scripts and the CLI." />;
}
