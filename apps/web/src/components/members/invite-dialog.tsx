"use client";

import { inviteUserInput } from "@sigil/validators";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { useUnsavedChanges } from "@/components/unsaved-changes/context";
import { useWorkspaceHref } from "@/components/workspace/workspace-context";
import { Alert, ErrorAlert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { DateTime } from "@/components/ui/date-time";
import { Dialog } from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import { Input, Select } from "@/components/ui/input";
import { fieldErrorsOf } from "@/lib/trpc-errors";
import { useTRPC } from "@/trpc/client";
import type { RouterOutputs } from "@/trpc/types";
import { quotaOf } from "./quota";
import { absoluteLink, OneTimeLink } from "./one-time-link";
import { ROLES, type Role } from "./roles";
import { issuesByField } from "@/lib/form-errors";

const ROLE_WITH_ARTICLE: Record<Role, string> = { admin: "an admin", user: "a member", viewer: "a viewer" };

type Invitation = RouterOutputs["users"]["invite"];

/** "Invite user": email, name, role → the invitation link, shown this once, with a Copy button. */
export function InviteDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const [invitation, setInvitation] = useState<Invitation | null>(null);
  const close = () => {
    setInvitation(null);
    onClose();
  };
  return (
    <Dialog
      open={open}
      onClose={close}
      title={invitation ? "Invitation created" : "Invite user"}
      description={
        invitation
          ? undefined
          : "You get the invitation link to share; it is also mailed when this installation sends mail. Invited users take a seat of the plan."
      }
    >
      {open ? (
        invitation ? (
          <InvitationLink invitation={invitation} onAnother={() => setInvitation(null)} onDone={close} />
        ) : (
          <InviteForm onInvited={setInvitation} onCancel={close} />
        )
      ) : null}
    </Dialog>
  );
}

function InviteForm({ onInvited, onCancel }: { onInvited: (invitation: Invitation) => void; onCancel: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [email, setEmail] = useState("");
  const [name, setName] = useState("");
  const [role, setRole] = useState<Role>("user");
  const [localErrors, setLocalErrors] = useState<Record<string, string | undefined>>({});
  const invite = useMutation(
    trpc.users.invite.mutationOptions({
      onSuccess: async (invitation) => {
        await queryClient.invalidateQueries({ queryKey: trpc.users.list.queryKey() });
        onInvited(invitation);
      },
    }),
  );
  useUnsavedChanges((email !== "" || name !== "" || role !== "user") && !invite.isSuccess);
  const serverErrors = fieldErrorsOf(invite.error);
  const errors = { ...serverErrors, ...localErrors };
  const quota = quotaOf(invite.error);

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const input = { email, name, role };
    const parsed = inviteUserInput.safeParse(input);
    const next = parsed.success ? {} : issuesByField(parsed.error.issues);
    setLocalErrors(next);
    if (parsed.success) invite.mutate(parsed.data);
  };

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-4">
      {invite.error && !Object.values(serverErrors).some(Boolean) ? (
        <ErrorAlert error={invite.error} title={quota ? "No seat left on the plan" : "Could not invite"} />
      ) : null}
      {quota ? (
        <p className="text-sm text-gray-600">
          Seats used: <span className="font-medium text-gray-900 tabular-nums">{quota.current}</span> of <span className="tabular-nums">{quota.limit}</span>.
          Deactivate someone or ask a Sigil administrator for a larger plan.
        </p>
      ) : null}
      <Field label="Email" error={errors.email}>
        {(props) => (
          <Input
            {...props}
            type="email"
            name="email"
            autoComplete="off"
            autoFocus
            value={email}
            onChange={(event) => {
              setEmail(event.target.value);
              setLocalErrors((current) => ({ ...current, email: undefined }));
            }}
          />
        )}
      </Field>
      <Field label="Name" error={errors.name}>
        {(props) => (
          <Input
            {...props}
            name="name"
            autoComplete="off"
            value={name}
            onChange={(event) => {
              setName(event.target.value);
              setLocalErrors((current) => ({ ...current, name: undefined }));
            }}
          />
        )}
      </Field>
      <Field label="Role" error={errors.role} hint={ROLES.find((item) => item.value === role)?.description}>
        {(props) => (
          <Select {...props} name="role" value={role} onChange={(event) => setRole(event.target.value as Role)}>
            {ROLES.map((item) => (
              <option key={item.value} value={item.value}>
                {item.label}
              </option>
            ))}
          </Select>
        )}
      </Field>
      <div className="-mx-6 -mb-4 flex justify-end gap-2 rounded-b-lg border-t border-gray-100 bg-gray-50 px-6 py-3">
        <Button variant="secondary" onClick={onCancel} disabled={invite.isPending}>
          Cancel
        </Button>
        <Button type="submit" loading={invite.isPending}>
          Create invitation
        </Button>
      </div>
    </form>
  );
}

function InvitationLink({ invitation, onAnother, onDone }: { invitation: Invitation; onAnother: () => void; onDone: () => void }) {
  const href = useWorkspaceHref();
  const link = absoluteLink(href(`/invite/${invitation.invitationToken}`));
  return (
    <div className="space-y-4">
      <p className="text-sm text-gray-700">
        Send this link to <span className="font-medium text-gray-900">{invitation.user.name}</span> ({invitation.user.email}). They choose a password and join
        as {ROLE_WITH_ARTICLE[invitation.user.role]}.
      </p>
      {invitation.mailed ? (
        <Alert tone="success" title="Invitation mailed">
          Sigil sent this link to {invitation.user.email}.
        </Alert>
      ) : invitation.mailError ? (
        <Alert tone="warning" title="The invitation was not mailed">
          {invitation.mailError}
        </Alert>
      ) : null}
      <OneTimeLink
        label="Invitation link"
        link={link}
        hint={
          <>
            Valid until <DateTime value={invitation.invitationExpiresAt} />.
          </>
        }
        lostAdvice="if it is lost, revoke the invitation and invite again."
      />
      <div className="-mx-6 -mb-4 flex justify-end gap-2 rounded-b-lg border-t border-gray-100 bg-gray-50 px-6 py-3">
        <Button variant="secondary" onClick={onAnother}>
          Invite another
        </Button>
        <Button onClick={onDone}>Done</Button>
      </div>
    </div>
  );
}
