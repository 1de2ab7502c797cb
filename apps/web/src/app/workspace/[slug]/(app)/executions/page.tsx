import type { Metadata } from "next";
import { SectionPlaceholder } from "@/components/section-placeholder";

export const metadata: Metadata = { title: "Executions" };

export default function ExecutionsPage() {
  return <SectionPlaceholder title="Executions" description="Runs of your prompts and deployments, with their status, results and timings." />;
}
