"use client";

import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import type { ReactNode } from "react";
import { Logo } from "@/components/logo";
import { NavLink } from "@/components/nav-link";
import { SessionWatcher } from "@/components/session-watcher";
import { Shell } from "@/components/shell";
import { useToast } from "@/components/ui/toast";
import { UserMenu } from "@/components/user-menu";
import { errorMessage } from "@/lib/trpc-errors";
import { useTRPC } from "@/trpc/client";
import { MaintenanceBanner } from "./maintenance-banner";
import { WORKSPACE_SECTIONS } from "./nav";
import { useMe, useWorkspaceHref } from "./workspace-context";
import { hardNavigate } from "@/lib/hard-navigate";

const ROLE_LABELS = { admin: "Admin", user: "Member", viewer: "Viewer" } as const;

/** The signed-in workspace: sidebar with the sections the user's role may see, account menu, page. */
export function WorkspaceShell({ children }: { children: ReactNode }) {
  const me = useMe();
  const href = useWorkspaceHref();
  const trpc = useTRPC();
  const toast = useToast();
  const signOut = useMutation(
    trpc.auth.logout.mutationOptions({
      // A full page load: every cached query of this user goes with it.
      onSuccess: () => hardNavigate(href("/login")),
      onError: (error) => toast({ title: "Could not sign out", description: errorMessage(error), tone: "danger" }),
    }),
  );
  const sections = WORKSPACE_SECTIONS.filter(
    (section) => (!section.adminOnly || me.user.role === "admin") && (!section.feature || me.tenant.features.includes(section.feature)),
  );
  const adminStart = sections.findIndex((section) => section.adminOnly);

  return (
    <Shell
      brand={
        <Link href={href("/")} className="flex min-w-0 items-center gap-2">
          <Logo label="" className="gap-0" />
          <span className="truncate text-sm font-semibold text-gray-900">{me.tenant.name}</span>
        </Link>
      }
      nav={
        <nav aria-label="Workspace">
          <ul className="flex flex-col gap-1">
            {sections.map((section, index) => (
              <li key={section.path} className={index === adminStart ? "mt-4 border-t border-gray-100 pt-4" : undefined}>
                <NavLink item={{ href: href(section.path), label: section.label, icon: section.icon }} />
              </li>
            ))}
          </ul>
        </nav>
      }
      account={
        <UserMenu
          name={me.user.name}
          email={me.user.email}
          detail={`${ROLE_LABELS[me.user.role]} · ${me.tenant.slug}`}
          onSignOut={() => signOut.mutate()}
          signingOut={signOut.isPending}
          profileHref={href("/profile")}
        />
      }
    >
      <SessionWatcher signInHref={href("/login")} />
      <MaintenanceBanner />
      {children}
    </Shell>
  );
}
