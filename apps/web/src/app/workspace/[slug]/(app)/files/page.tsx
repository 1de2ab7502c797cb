import type { Metadata } from "next";
import { SectionPlaceholder } from "@/components/section-placeholder";

export const metadata: Metadata = { title: "Files" };

export default function FilesPage() {
  return <SectionPlaceholder title="Files" description="Reference files of this workspace, and the storage they use against your plan." />;
}
