import type { Metadata } from "next";
import { SectionPlaceholder } from "@/components/section-placeholder";

export const metadata: Metadata = { title: "Usage" };

export default function UsagePage() {
  return <SectionPlaceholder title="Usage" description="This workspace's use of its plan: seats, storage and executions this month." />;
}
