import type { Metadata } from "next";
import { SectionPlaceholder } from "@/components/section-placeholder";

export const metadata: Metadata = { title: "API keys" };

export default function ApiKeysPage() {
  return <SectionPlaceholder title="API keys" description="Keys for programs that call this workspace's API, with their scopes." />;
}
