"use client";

import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import type { FieldErrors } from "@/lib/form-errors";

/** The repeat must match: a typo in a hidden field would lock the person out. */
export function repeatError(password: string, confirm: string): FieldErrors {
  return password === confirm ? {} : { confirm: "The two passwords differ." };
}

/** A new password and its repeat (invitation, password reset, profile). Errors under `password` and `confirm`. */
export function NewPasswordFields({
  password,
  confirm,
  onPassword,
  onConfirm,
  errors,
  label = "Password",
}: {
  password: string;
  confirm: string;
  onPassword: (value: string) => void;
  onConfirm: (value: string) => void;
  errors: FieldErrors;
  label?: string;
}) {
  return (
    <>
      <Field label={label} hint="At least 10 characters." error={errors.password}>
        {(props) => (
          <Input {...props} type="password" name="password" autoComplete="new-password" value={password} onChange={(event) => onPassword(event.target.value)} />
        )}
      </Field>
      <Field label="Repeat the password" error={errors.confirm}>
        {(props) => (
          <Input {...props} type="password" name="confirm" autoComplete="new-password" value={confirm} onChange={(event) => onConfirm(event.target.value)} />
        )}
      </Field>
    </>
  );
}
