import type { Metadata } from "next";
import { SectionPlaceholder } from "@/components/section-placeholder";

export const metadata: Metadata = { title: "Deployments" };

export default function DeploymentsPage() {
  return <SectionPlaceholder title="Deployments" description="Publish a prompt version under a stable name, and run it by that name." />;
}
