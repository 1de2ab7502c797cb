import type { Metadata } from "next";
import { redirect } from "next/navigation";
import { AdminSignIn } from "@/components/admin/admin-sign-in";
import { AuthCard } from "@/components/auth-card";
import { assertAdminRequest } from "@/lib/server/admin-request";
import { safeNextPath } from "@/lib/workspace-href";
import { loadAdminSession } from "@/trpc/session";

export const metadata: Metadata = { title: "Sign in" };

export default async function AdminLoginPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  await assertAdminRequest();
  const { next: rawNext } = await searchParams;
  const next = safeNextPath(typeof rawNext === "string" ? rawNext : null, "");
  if ((await loadAdminSession()).status === "signed-in") redirect(next);
  return (
    <AuthCard title="Sign in to the admin dashboard" subtitle="For the system administrators of this Sigil installation.">
      <AdminSignIn next={next} />
    </AuthCard>
  );
}
