import type { Metadata } from "next";
import Link from "next/link";
import { AuthCard } from "@/components/auth-card";
import { AcceptInvitationForm } from "@/components/workspace/accept-invitation-form";
import { LinkProblem } from "@/components/workspace/link-problem";
import { errorMessage } from "@/lib/trpc-errors";
import { serverWorkspaceHref } from "@/lib/server/workspace-request";
import { getQueryClient, trpc } from "@/trpc/server";
import { loadWorkspaceSession } from "@/trpc/session";

export const metadata: Metadata = { title: "Accept invitation" };

const PROBLEMS = {
  unknown: { title: "This invitation link is not valid", message: "Check that you copied all of it, or ask an admin of the workspace for a new invitation." },
  used: { title: "This invitation was already accepted", message: "The account exists: sign in with its email and password." },
  expired: { title: "This invitation has expired", message: "Invitations work for 7 days. Ask an admin of the workspace to invite you again." },
  revoked: { title: "This invitation was revoked", message: "An admin of the workspace withdrew it. Ask them if you should have access." },
} as const;

/** `/invite/<token>` (the link an admin shares or Sigil mails): checked on load, so a bad link says so at once. */
export default async function AcceptInvitationPage({ params }: { params: Promise<{ slug: string; token: string }> }) {
  const { slug, token } = await params;
  const session = await loadWorkspaceSession();
  if (session.status === "unavailable") return null; // the layout shows the "suspended" page
  const signInHref = await serverWorkspaceHref(slug, "/login");
  let invitation;
  try {
    invitation = await getQueryClient().fetchQuery(trpc.auth.invitation.queryOptions({ token }));
  } catch (error) {
    return (
      <AuthCard title="Join the workspace">
        <LinkProblem title="The invitation could not be checked" message={errorMessage(error)} signInHref={signInHref} />
      </AuthCard>
    );
  }
  if (invitation.state !== "valid") {
    const problem = PROBLEMS[invitation.state];
    return (
      <AuthCard title="Join the workspace">
        <LinkProblem title={problem.title} message={problem.message} signInHref={signInHref} />
      </AuthCard>
    );
  }
  return (
    <AuthCard
      title={`Join ${invitation.workspace.name}`}
      subtitle={
        <>
          <span className="font-medium text-gray-800">{invitation.email}</span> was invited to the workspace{" "}
          <span className="font-medium text-gray-800">{invitation.workspace.name}</span>. Choose a password to finish setting up your account.
        </>
      }
      footer={
        <>
          Already have an account?{" "}
          <Link href={signInHref} className="font-medium text-brand-700 hover:underline">
            Sign in
          </Link>
        </>
      }
    >
      <AcceptInvitationForm token={token} defaultName={invitation.name} />
    </AuthCard>
  );
}
