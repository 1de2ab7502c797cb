import type { Metadata } from "next";
import { SectionPlaceholder } from "@/components/section-placeholder";

export const metadata: Metadata = { title: "Users" };

export default function UsersPage() {
  return <SectionPlaceholder title="Users" description="Invite people, change their roles, and deactivate accounts." />;
}
