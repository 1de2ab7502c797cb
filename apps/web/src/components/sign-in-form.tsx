"use client";

import { useState, type FormEvent } from "react";
import { ErrorAlert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { fieldErrorsOf } from "@/lib/trpc-errors";

export interface SignInFormProps {
  /** Calls the API's login mutation; rejects with its error (shown with the server's message). */
  signIn: (credentials: { email: string; password: string }) => Promise<unknown>;
  pending: boolean;
  error: unknown;
}

/** Email + password. Shared by the workspace and admin sign-in pages, which bring their own mutation. */
export function SignInForm({ signIn, pending, error }: SignInFormProps) {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const fieldErrors = fieldErrorsOf(error);
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    // Errors are rendered from the mutation's state; nothing to do with the rejection here.
    signIn({ email, password }).catch(() => undefined);
  };
  return (
    <form onSubmit={onSubmit} className="space-y-4">
      {error && Object.keys(fieldErrors).length === 0 ? <ErrorAlert error={error} title="Could not sign in" /> : null}
      <Field label="Email" error={fieldErrors.email}>
        {(props) => (
          <Input
            {...props}
            type="email"
            name="email"
            autoComplete="username"
            required
            autoFocus
            value={email}
            onChange={(event) => setEmail(event.target.value)}
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
            required
            value={password}
            onChange={(event) => setPassword(event.target.value)}
          />
        )}
      </Field>
      <Button type="submit" className="w-full" loading={pending}>
        Sign in
      </Button>
    </form>
  );
}
