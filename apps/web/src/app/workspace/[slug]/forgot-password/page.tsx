import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { AuthCard } from "@/components/auth-card";
import { ForgotPasswordForm } from "@/components/workspace/forgot-password-form";
import { serverWorkspaceHref } from "@/lib/server/workspace-request";
import { loadWorkspaceSession } from "@/trpc/session";

export const metadata: Metadata = { title: "Forgot password" };

export default async function ForgotPasswordPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const session = await loadWorkspaceSession();
  if (session.status === "unavailable") return null; // the layout shows the "suspended" page
  if (session.status === "signed-in") redirect(await serverWorkspaceHref(slug, "/profile"));
  return (
    <AuthCard title="Reset your password" subtitle="Enter the email you sign in with. We will tell you how your reset link reaches you.">
      <ForgotPasswordForm />
    </AuthCard>
  );
}
