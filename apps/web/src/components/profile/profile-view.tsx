"use client";

import { changePasswordInput, updateProfileInput } from "@sigil/validators";
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { NewPasswordFields, repeatError } from "@/components/workspace/new-password-fields";
import { useMe } from "@/components/workspace/workspace-context";
import { ErrorAlert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { PageHeader } from "@/components/ui/page-header";
import { useToast } from "@/components/ui/toast";
import { issuesByField, type FieldErrors } from "@/lib/form-errors";
import { fieldErrorsOf } from "@/lib/trpc-errors";
import { useTRPC } from "@/trpc/client";

/** Profile: the member's name, and a password change that signs out their other sessions. */
export function ProfileView() {
  const me = useMe();
  return (
    <>
      <PageHeader title="Profile" description={`${me.user.email} in ${me.tenant.name}.`} />
      <div className="max-w-xl space-y-6">
        <NameCard />
        <PasswordCard />
      </div>
    </>
  );
}

function NameCard() {
  const trpc = useTRPC();
  const router = useRouter();
  const toast = useToast();
  const me = useMe();
  const [name, setName] = useState(me.user.name);
  const [localErrors, setLocalErrors] = useState<FieldErrors>({});
  const update = useMutation(
    trpc.auth.updateProfile.mutationOptions({
      onSuccess: (user) => {
        setName(user.name);
        toast({ title: "Name saved", tone: "success" });
        // The sidebar's account button shows the name from the layout: render it again.
        router.refresh();
      },
    }),
  );
  const serverErrors = fieldErrorsOf(update.error);
  const errors = { ...serverErrors, ...localErrors };
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const parsed = updateProfileInput.safeParse({ name });
    setLocalErrors(parsed.success ? {} : issuesByField(parsed.error.issues));
    if (parsed.success) update.mutate(parsed.data);
  };
  return (
    <Card>
      <CardHeader>
        <CardTitle>Name</CardTitle>
        <CardDescription>How teammates see you on prompts, versions and runs.</CardDescription>
      </CardHeader>
      <CardContent>
        <form onSubmit={onSubmit} noValidate className="space-y-4">
          {update.error && Object.keys(serverErrors).length === 0 ? <ErrorAlert error={update.error} title="Could not save the name" /> : null}
          <Field label="Name" error={errors.name}>
            {(props) => (
              <Input
                {...props}
                name="name"
                autoComplete="name"
                value={name}
                onChange={(event) => {
                  setName(event.target.value);
                  setLocalErrors({});
                }}
              />
            )}
          </Field>
          <Button type="submit" loading={update.isPending}>
            Save name
          </Button>
        </form>
      </CardContent>
    </Card>
  );
}

function PasswordCard() {
  const trpc = useTRPC();
  const toast = useToast();
  const [currentPassword, setCurrentPassword] = useState("");
  const [newPassword, setNewPassword] = useState("");
  const [confirm, setConfirm] = useState("");
  const [localErrors, setLocalErrors] = useState<FieldErrors>({});
  const change = useMutation(
    trpc.auth.changePassword.mutationOptions({
      onSuccess: () => {
        setCurrentPassword("");
        setNewPassword("");
        setConfirm("");
        toast({ title: "Password changed", description: "Your other sessions were signed out; this one stays signed in.", tone: "success" });
      },
    }),
  );
  const serverErrors = fieldErrorsOf(change.error);
  // The form names the new password "password" (shared fields); the API calls it newPassword.
  const errors: FieldErrors = { ...serverErrors, password: serverErrors.newPassword, ...localErrors };
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const parsed = changePasswordInput.safeParse({ currentPassword, newPassword });
    const issues = parsed.success ? {} : issuesByField(parsed.error.issues);
    const next = { currentPassword: issues.currentPassword, password: issues.newPassword, ...repeatError(newPassword, confirm) };
    const found = Object.fromEntries(Object.entries(next).filter(([, message]) => message !== undefined));
    setLocalErrors(found);
    if (parsed.success && Object.keys(found).length === 0) change.mutate(parsed.data);
  };
  return (
    <Card>
      <CardHeader>
        <CardTitle>Password</CardTitle>
        <CardDescription>Changing it signs you out everywhere else; this session stays.</CardDescription>
      </CardHeader>
      <CardContent>
        <form onSubmit={onSubmit} noValidate className="space-y-4">
          {change.error && Object.keys(serverErrors).length === 0 ? <ErrorAlert error={change.error} title="Could not change the password" /> : null}
          <Field label="Current password" error={errors.currentPassword}>
            {(props) => (
              <Input
                {...props}
                type="password"
                name="current-password"
                autoComplete="current-password"
                value={currentPassword}
                onChange={(event) => setCurrentPassword(event.target.value)}
              />
            )}
          </Field>
          <NewPasswordFields label="New password" password={newPassword} confirm={confirm} onPassword={setNewPassword} onConfirm={setConfirm} errors={errors} />
          <Button type="submit" loading={change.isPending}>
            Change password
          </Button>
        </form>
      </CardContent>
    </Card>
  );
}
