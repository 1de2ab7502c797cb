"use client";

import { completePasswordResetInput } from "@sigil/validators";
import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { useState, type FormEvent } from "react";
import { Alert, ErrorAlert } from "@/components/ui/alert";
import { Button, buttonClasses } from "@/components/ui/button";
import { issuesByField, type FieldErrors } from "@/lib/form-errors";
import { fieldErrorsOf } from "@/lib/trpc-errors";
import { useTRPC } from "@/trpc/client";
import { NewPasswordFields, repeatError } from "./new-password-fields";
import { useWorkspaceHref } from "./workspace-context";

/** Choose a new password with a reset link (already checked by the page); then sign in with it. */
export function ResetPasswordForm({ token, email }: { token: string; email: string }) {
  const trpc = useTRPC();
  const href = useWorkspaceHref();
  const [password, setPassword] = useState("");
  const [confirm, setConfirm] = useState("");
  const [localErrors, setLocalErrors] = useState<FieldErrors>({});
  const reset = useMutation(trpc.auth.resetPassword.mutationOptions());
  const serverErrors = fieldErrorsOf(reset.error);
  const errors = { ...serverErrors, ...localErrors };

  if (reset.isSuccess) {
    return (
      <div className="space-y-4">
        <Alert tone="success" title="Password changed">
          Every session of {email} was signed out. Sign in with the new password.
        </Alert>
        <Link href={href("/login")} className={buttonClasses({ className: "w-full" })}>
          Sign in
        </Link>
      </div>
    );
  }

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const parsed = completePasswordResetInput.safeParse({ token, password });
    const next = { ...(parsed.success ? {} : issuesByField(parsed.error.issues)), ...repeatError(password, confirm) };
    setLocalErrors(next);
    if (parsed.success && Object.keys(next).length === 0) reset.mutate(parsed.data);
  };
  return (
    <form onSubmit={onSubmit} noValidate className="space-y-4">
      {reset.error && Object.keys(serverErrors).length === 0 ? <ErrorAlert error={reset.error} title="Could not reset the password" /> : null}
      <NewPasswordFields label="New password" password={password} confirm={confirm} onPassword={setPassword} onConfirm={setConfirm} errors={errors} />
      <Button type="submit" className="w-full" loading={reset.isPending}>
        Set the new password
      </Button>
    </form>
  );
}
