"use client";

import { useMutation } from "@tanstack/react-query";
import { SignInForm } from "@/components/sign-in-form";
import { useTRPC } from "@/trpc/client";
import { hardNavigate } from "@/lib/hard-navigate";

/** The system administrators' sign-in (`admin.login` on the admin host). */
export function AdminSignIn({ next }: { next: string }) {
  const trpc = useTRPC();
  const login = useMutation(trpc.admin.login.mutationOptions({ onSuccess: () => hardNavigate(next) }));
  return <SignInForm signIn={login.mutateAsync} pending={login.isPending || login.isSuccess} error={login.error} />;
}
