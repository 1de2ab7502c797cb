"use client";

import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import type { ReactNode } from "react";
import type { IconName } from "@/components/icons";
import { Logo } from "@/components/logo";
import { NavLink } from "@/components/nav-link";
import { SessionWatcher } from "@/components/session-watcher";
import { Shell } from "@/components/shell";
import { useToast } from "@/components/ui/toast";
import { UserMenu } from "@/components/user-menu";
import { errorMessage } from "@/lib/trpc-errors";
import { useTRPC } from "@/trpc/client";
import { useSystemAdmin } from "./admin-context";
import { hardNavigate } from "@/lib/hard-navigate";

/** The admin console's sections (paths on the admin host). */
export const ADMIN_SECTIONS: { href: string; label: string; icon: IconName }[] = [
  { href: "/", label: "Overview", icon: "overview" },
  { href: "/tenants", label: "Tenants", icon: "tenants" },
  { href: "/migrations", label: "Migrations", icon: "migrations" },
  { href: "/health", label: "Health", icon: "health" },
  { href: "/prices", label: "Prices", icon: "prices" },
  { href: "/api-keys", label: "API keys", icon: "keys" },
  { href: "/audit", label: "Audit log", icon: "audit" },
];

export function AdminShell({ children }: { children: ReactNode }) {
  const admin = useSystemAdmin();
  const trpc = useTRPC();
  const toast = useToast();
  const signOut = useMutation(
    trpc.admin.logout.mutationOptions({
      onSuccess: () => hardNavigate("/login"),
      onError: (error) => toast({ title: "Could not sign out", description: errorMessage(error), tone: "danger" }),
    }),
  );
  return (
    <Shell
      brand={
        <Link href="/" className="flex items-center gap-2">
          <Logo />
          <span className="rounded bg-gray-900 px-1.5 py-0.5 text-[10px] font-semibold tracking-wide text-white uppercase">Admin</span>
        </Link>
      }
      nav={
        <nav aria-label="Admin console">
          <ul className="flex flex-col gap-1">
            {ADMIN_SECTIONS.map((section) => (
              <li key={section.href}>
                <NavLink item={section} exact={section.href === "/"} />
              </li>
            ))}
          </ul>
        </nav>
      }
      account={
        <UserMenu name={admin.name} email={admin.email} detail="System administrator" onSignOut={() => signOut.mutate()} signingOut={signOut.isPending} />
      }
    >
      <SessionWatcher signInHref="/login" />
      {children}
    </Shell>
  );
}
