import type { Metadata } from "next";
import { AuthCard } from "@/components/auth-card";
import { AcceptInvitationForm } from "@/components/workspace/accept-invitation-form";
import { loadWorkspaceSession } from "@/trpc/session";

export const metadata: Metadata = { title: "Accept invitation" };

/** `/invite/<token>` (the link an admin shares after `users.invite`). */
export default async function AcceptInvitationPage({ params }: { params: Promise<{ slug: string; token: string }> }) {
  const { slug, token } = await params;
  const session = await loadWorkspaceSession();
  if (session.status === "unavailable") return null; // the layout shows the "suspended" page
  return (
    <AuthCard
      title="Join the workspace"
      subtitle={
        <>
          You were invited to <span className="font-medium text-gray-800">{slug}</span>. Choose a password to finish setting up your account.
        </>
      }
    >
      <AcceptInvitationForm token={token} />
    </AuthCard>
  );
}
