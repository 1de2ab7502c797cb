import { redirect } from "next/navigation";
import { serverWorkspaceHref } from "@/lib/server/workspace-request";

/** The workspace's home is its prompt list. */
export default async function WorkspaceHome({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  redirect(await serverWorkspaceHref(slug, "/prompts"));
}
