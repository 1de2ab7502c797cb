import type { Metadata } from "next";
import Link from "next/link";
import { AuthCard } from "@/components/auth-card";
import { LinkProblem } from "@/components/workspace/link-problem";
import { ResetPasswordForm } from "@/components/workspace/reset-password-form";
import { errorMessage } from "@/lib/trpc-errors";
import { serverWorkspaceHref } from "@/lib/server/workspace-request";
import { getQueryClient, trpc } from "@/trpc/server";
import { loadWorkspaceSession } from "@/trpc/session";

export const metadata: Metadata = { title: "Choose a new password" };

const PROBLEMS = {
  unknown: { title: "This link is not valid", message: "Check that you copied all of it, or ask for a new one." },
  used: { title: "This link was already used", message: "A reset link works once. Ask for a new one if you need to reset your password again." },
  expired: { title: "This link has expired", message: "Reset links work for a limited time. Ask for a new one." },
} as const;

/** `/reset-password/<token>`: the link is checked on load, so a bad one says so before anyone types. */
export default async function ResetPasswordPage({ params }: { params: Promise<{ slug: string; token: string }> }) {
  const { slug, token } = await params;
  const session = await loadWorkspaceSession();
  if (session.status === "unavailable") return null; // the layout shows the "suspended" page
  const signInHref = await serverWorkspaceHref(slug, "/login");
  const forgotHref = await serverWorkspaceHref(slug, "/forgot-password");
  let link;
  try {
    link = await getQueryClient().fetchQuery(trpc.auth.passwordResetLink.queryOptions({ token }));
  } catch (error) {
    return (
      <AuthCard title="Choose a new password">
        <LinkProblem title="The link could not be checked" message={errorMessage(error)} signInHref={signInHref} />
      </AuthCard>
    );
  }
  if (link.state !== "valid") {
    const problem = PROBLEMS[link.state];
    return (
      <AuthCard title="Choose a new password">
        <LinkProblem
          title={problem.title}
          message={problem.message}
          signInHref={signInHref}
          extra={
            <Link href={forgotHref} className="block text-center text-sm font-medium text-brand-700 hover:underline">
              Ask for a new link
            </Link>
          }
        />
      </AuthCard>
    );
  }
  return (
    <AuthCard
      title="Choose a new password"
      subtitle={
        <>
          For <span className="font-medium text-gray-800">{link.email}</span>. Every session of this account will be signed out.
        </>
      }
    >
      <ResetPasswordForm token={token} email={link.email} />
    </AuthCard>
  );
}
