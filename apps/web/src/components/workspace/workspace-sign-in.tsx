"use client";

import { useMutation } from "@tanstack/react-query";
import { SignInForm } from "@/components/sign-in-form";
import { useTRPC } from "@/trpc/client";
import { hardNavigate } from "@/lib/hard-navigate";
import { useWorkspaceHref } from "./workspace-context";

/** The workspace's sign-in: `auth.login`, then a full page load of `next` (the layout re-reads the session). */
export function WorkspaceSignIn({ next }: { next: string }) {
  const trpc = useTRPC();
  const href = useWorkspaceHref();
  const login = useMutation(trpc.auth.login.mutationOptions({ onSuccess: () => hardNavigate(next) }));
  return (
    <SignInForm signIn={login.mutateAsync} pending={login.isPending || login.isSuccess} error={login.error} forgotPasswordHref={href("/forgot-password")} />
  );
}
