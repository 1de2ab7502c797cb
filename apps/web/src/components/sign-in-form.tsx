"use client";

import { loginInput } from "@sigil/validators";
import Link from "next/link";
import { useState, type FormEvent } from "react";
import { ErrorAlert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { issuesByField, type FieldErrors } from "@/lib/form-errors";
import { fieldErrorsOf } from "@/lib/trpc-errors";

export interface SignInFormProps {
  /** Calls the API's login mutation; rejects with its error (shown with the server's message). */
  signIn: (credentials: { email: string; password: string }) => Promise<unknown>;
  pending: boolean;
  error: unknown;
  /** Where "Forgot password?" leads (workspace sign-in only). */
  forgotPasswordHref?: string;
}

/**
 * Email + password. Shared by the workspace and admin sign-in pages, which bring their own
 * mutation. Checked with the API's own schema first and answered inline, like every other form.
 */
export function SignInForm({ signIn, pending, error, forgotPasswordHref }: SignInFormProps) {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [localErrors, setLocalErrors] = useState<FieldErrors>({});
  const serverErrors = fieldErrorsOf(error);
  const fieldErrors = { ...serverErrors, ...localErrors };
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const parsed = loginInput.safeParse({ email, password });
    setLocalErrors(parsed.success ? {} : issuesByField(parsed.error.issues));
    // Errors are rendered from the mutation's state; nothing to do with the rejection here.
    if (parsed.success) signIn({ email, password }).catch(() => undefined);
  };
  return (
    <form onSubmit={onSubmit} noValidate className="space-y-4">
      {error && Object.keys(serverErrors).length === 0 ? <ErrorAlert error={error} title="Could not sign in" /> : null}
      <Field label="Email" error={fieldErrors.email}>
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
              setLocalErrors((current) => ({ ...current, email: undefined }));
            }}
          />
        )}
      </Field>
      <Field label="Password" error={fieldErrors.password}>
        {(props) => (
          <Input
            {...props}
            type="password"
            name="password"
            autoComplete="current-password"
            value={password}
            onChange={(event) => {
              setPassword(event.target.value);
              setLocalErrors((current) => ({ ...current, password: undefined }));
            }}
          />
        )}
      </Field>
      <Button type="submit" className="w-full" loading={pending}>
        Sign in
      </Button>
      {forgotPasswordHref ? (
        <p className="text-center text-sm">
          <Link href={forgotPasswordHref} className="font-medium text-brand-700 hover:underline">
            Forgot password?
          </Link>
        </p>
      ) : null}
    </form>
  );
}
