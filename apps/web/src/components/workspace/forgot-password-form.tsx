"use client";

import { forgotPasswordInput } from "@sigil/validators";
import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { useState, type FormEvent } from "react";
import { Alert, ErrorAlert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { issuesByField, type FieldErrors } from "@/lib/form-errors";
import { fieldErrorsOf } from "@/lib/trpc-errors";
import { useTRPC } from "@/trpc/client";
import { useWorkspaceHref } from "./workspace-context";

/**
 * "Forgot password": the answer is the same for any email (it never tells whether an account
 * exists) and says honestly how the link arrives here: by mail, or from a workspace admin.
 */
export function ForgotPasswordForm() {
  const trpc = useTRPC();
  const href = useWorkspaceHref();
  const [email, setEmail] = useState("");
  const [localErrors, setLocalErrors] = useState<FieldErrors>({});
  const request = useMutation(trpc.auth.forgotPassword.mutationOptions());
  const serverErrors = fieldErrorsOf(request.error);
  const errors = { ...serverErrors, ...localErrors };
  const backToSignIn = (
    <p className="text-center text-sm">
      <Link href={href("/login")} className="font-medium text-brand-700 hover:underline">
        Back to sign-in
      </Link>
    </p>
  );

  if (request.data) {
    return (
      <div className="space-y-4">
        <Alert tone="success" title={request.data.delivery === "mail" ? "Check your mail" : "Ask a workspace admin for your link"}>
          {request.data.delivery === "mail"
            ? `If ${email.trim()} belongs to an account of this workspace, a link to choose a new password is on its way. It works once, for a limited time.`
            : `This workspace does not send mail. If ${email.trim()} belongs to an account here, the workspace's admins now see your request on their Users page: ask one of them for your reset link.`}
        </Alert>
        {backToSignIn}
      </div>
    );
  }

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const parsed = forgotPasswordInput.safeParse({ email });
    setLocalErrors(parsed.success ? {} : issuesByField(parsed.error.issues));
    if (parsed.success) request.mutate(parsed.data);
  };
  return (
    <form onSubmit={onSubmit} noValidate className="space-y-4">
      {request.error && Object.keys(serverErrors).length === 0 ? <ErrorAlert error={request.error} title="Could not ask for a reset" /> : null}
      <Field label="Email" error={errors.email}>
        {(props) => (
          <Input
            {...props}
            type="email"
            name="email"
            autoComplete="username"
            autoFocus
            value={email}
            onChange={(event) => {
              setEmail(event.target.value);
              setLocalErrors({});
            }}
          />
        )}
      </Field>
      <Button type="submit" className="w-full" loading={request.isPending}>
        Send me a reset link
      </Button>
      {backToSignIn}
    </form>
  );
}
