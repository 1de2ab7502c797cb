import type { Metadata } from "next";
import { SectionPlaceholder } from "@/components/section-placeholder";

export const metadata: Metadata = { title: "Settings" };

export default function SettingsPage() {
  return <SectionPlaceholder title="Settings" description="Model providers and webhooks of this workspace." />;
}
