import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { AuthCard } from "@/components/auth-card";
import { WorkspaceSignIn } from "@/components/workspace/workspace-sign-in";
import { readWorkspaceRequest } from "@/lib/server/workspace-request";
import { safeNextPath } from "@/lib/workspace-href";
import { loadWorkspaceSession } from "@/trpc/session";

export const metadata: Metadata = { title: "Sign in" };

export default async function WorkspaceLoginPage({
  params,
  searchParams,
}: {
  params: Promise<{ slug: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { slug } = await params;
  const { next: rawNext } = await searchParams;
  const request = await readWorkspaceRequest(slug);
  const next = safeNextPath(typeof rawNext === "string" ? rawNext : null, request.basePath);
  const session = await loadWorkspaceSession();
  if (session.status === "unavailable") return null; // the layout shows the "suspended" page
  if (session.status === "signed-in") redirect(next);
  return (
    <AuthCard
      title="Sign in to your workspace"
      subtitle={
        <>
          Workspace <span className="font-medium text-gray-800">{slug}</span>
        </>
      }
      footer="No account yet? Ask an administrator of this workspace for an invitation."
    >
      <WorkspaceSignIn next={next} />
    </AuthCard>
  );
}
