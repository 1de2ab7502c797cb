import type { Metadata } from "next";
import Link from "next/link";
import { NewPromptForm } from "@/components/prompts/new-prompt-form";
import { Alert } from "@/components/ui/alert";
import { PageHeader } from "@/components/ui/page-header";
import { serverWorkspaceHref } from "@/lib/server/workspace-request";
import { loadWorkspaceSession } from "@/trpc/session";

export const metadata: Metadata = { title: "New prompt" };

export default async function NewPromptPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const session = await loadWorkspaceSession();
  const listHref = await serverWorkspaceHref(slug, "/prompts");
  const back = (
    <Link href={listHref} className="text-sm font-medium text-gray-600 hover:text-gray-900">
      ← Prompts
    </Link>
  );
  if (session.status !== "signed-in") return null; // the layout redirects or shows the status page
  if (session.me.user.role === "viewer") {
    return (
      <>
        <div className="mb-2">{back}</div>
        <PageHeader title="New prompt" />
        <Alert tone="warning" title="Viewers cannot create prompts">
          Your role in this workspace is read-only. Ask an admin to make you a member.
        </Alert>
      </>
    );
  }
  return (
    <>
      <div className="mb-2">{back}</div>
      <PageHeader title="New prompt" description="Name it, write the template, and check the preview. Saving creates version 1." />
      <NewPromptForm />
    </>
  );
}
