"use client";

import { acceptInvitationInput } from "@sigil/validators";
import { useMutation } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { ErrorAlert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { fieldErrorsOf } from "@/lib/trpc-errors";
import { useTRPC } from "@/trpc/client";
import { NewPasswordFields, repeatError } from "./new-password-fields";
import { useWorkspaceHref } from "./workspace-context";
import { hardNavigate } from "@/lib/hard-navigate";
import { issuesByField } from "@/lib/form-errors";

/** Choose a name and password for an invited account; `auth.acceptInvitation` signs the user in. */
export function AcceptInvitationForm({ token, defaultName = "" }: { token: string; defaultName?: string }) {
  const trpc = useTRPC();
  const href = useWorkspaceHref();
  const [name, setName] = useState(defaultName);
  const [password, setPassword] = useState("");
  const [confirm, setConfirm] = useState("");
  const [localErrors, setLocalErrors] = useState<Record<string, string | undefined>>({});
  const accept = useMutation(trpc.auth.acceptInvitation.mutationOptions({ onSuccess: () => hardNavigate(href("/")) }));
  const serverFieldErrors = fieldErrorsOf(accept.error);
  const errors = { ...serverFieldErrors, ...localErrors };

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const input = { token, name: name.trim() === "" ? undefined : name, password };
    // The same rules as the server (@sigil/validators), checked before the round trip.
    const parsed = acceptInvitationInput.safeParse(input);
    const next = parsed.success ? {} : issuesByField(parsed.error.issues);
    Object.assign(next, repeatError(password, confirm));
    setLocalErrors(next);
    if (Object.keys(next).length === 0) accept.mutate(input);
  };

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-4">
      {accept.error && Object.keys(serverFieldErrors).length === 0 ? <ErrorAlert error={accept.error} title="Could not accept the invitation" /> : null}
      {errors.token ? <ErrorAlert error={new Error("This invitation link is incomplete. Open the link from your invitation again.")} /> : null}
      <Field label="Your name" optional error={errors.name}>
        {(props) => <Input {...props} name="name" autoComplete="name" value={name} onChange={(event) => setName(event.target.value)} />}
      </Field>
      <NewPasswordFields password={password} confirm={confirm} onPassword={setPassword} onConfirm={setConfirm} errors={errors} />
      <Button type="submit" className="w-full" loading={accept.isPending || accept.isSuccess}>
        Accept and sign in
      </Button>
    </form>
  );
}
