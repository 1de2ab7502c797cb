import type { Metadata } from "next";
import { SectionPlaceholder } from "@/components/section-placeholder";

export const metadata: Metadata = { title: "Prompts" };

export default function PromptsPage() {
  return <SectionPlaceholder title="Prompts" description="Write prompts with template variables; every change is a version you can compare and restore." />;
}
