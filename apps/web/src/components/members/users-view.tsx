"use client";

import { useMutation, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useMe } from "@/components/workspace/workspace-context";
import { ErrorAlert } from "@/components/ui/alert";
import { Badge, type BadgeTone } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { DateTime } from "@/components/ui/date-time";
import { EmptyState } from "@/components/ui/empty-state";
import { Select } from "@/components/ui/input";
import { PageHeader } from "@/components/ui/page-header";
import { Table, TableBody, TableCaption, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { useToast } from "@/components/ui/toast";
import { useTRPC } from "@/trpc/client";
import type { RouterOutputs } from "@/trpc/types";
import { InviteDialog } from "./invite-dialog";
import { quotaOf } from "./quota";
import { ResetLinkDialog } from "./reset-link-dialog";
import { isDemotion, ROLE_LABELS, ROLES, type Member, type Role } from "./roles";

const STATUS: Record<Member["accountState"], { label: string; tone: BadgeTone }> = {
  active: { label: "Active", tone: "success" },
  invited: { label: "Invited", tone: "warning" },
  invitation_expired: { label: "Invitation expired", tone: "neutral" },
  invitation_revoked: { label: "Invitation revoked", tone: "neutral" },
  deactivated: { label: "Deactivated", tone: "neutral" },
};
const ROLE_TONES: Record<Role, BadgeTone> = { admin: "brand", user: "neutral", viewer: "neutral" };

/** An account that was used (deleted) versus an invitation nobody accepted (removed). */
const isAccount = (user: Member) => user.accountState === "active" || user.accountState === "deactivated";

function deleteTitle(user: Member): string {
  return isAccount(user) ? `Delete ${user.name}?` : `Remove the invitation of ${user.name}?`;
}

type Pending = { kind: "role"; user: Member; role: Role } | { kind: "deactivate"; user: Member } | { kind: "delete"; user: Member } | null;

/**
 * Users of the workspace (admins only): invite, change roles, deactivate and reactivate, unlock a
 * locked sign-in, create a password reset link (also for a user's own request), delete.
 */
export function UsersView() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const toast = useToast();
  const me = useMe();
  const { data: users } = useSuspenseQuery(trpc.users.list.queryOptions({}));
  const [inviting, setInviting] = useState(false);
  const [confirming, setConfirming] = useState<Pending>(null);
  const seats = users.filter((user) => user.status !== "inactive").length;

  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.users.list.queryKey() });
  const updateRole = useMutation(
    trpc.users.updateRole.mutationOptions({
      onSuccess: async (user) => {
        await refresh();
        setConfirming(null);
        toast({ title: "Role changed", description: `${user.name} is now ${ROLE_LABELS[user.role]}.`, tone: "success" });
        // Demoting yourself: the session's role changed; reload so the sidebar and pages follow.
        if (user.id === me.user.id && user.role !== "admin") window.location.reload();
      },
    }),
  );
  const deactivate = useMutation(
    trpc.users.deactivate.mutationOptions({
      onSuccess: async (user) => {
        await refresh();
        setConfirming(null);
        toast({ title: `${user.name} deactivated`, description: "Their sessions were ended.", tone: "success" });
      },
    }),
  );
  const reactivate = useMutation(
    trpc.users.reactivate.mutationOptions({
      onSuccess: async (user) => {
        await refresh();
        toast({ title: `${user.name} reactivated`, tone: "success" });
      },
    }),
  );
  const unlock = useMutation(
    trpc.users.unlock.mutationOptions({
      onSuccess: async ({ user }) => {
        await refresh();
        toast({ title: `${user.name} unlocked`, description: "They can sign in again now.", tone: "success" });
      },
    }),
  );
  const [resetLink, setResetLink] = useState<RouterOutputs["users"]["resetPassword"] | null>(null);
  const resetPassword = useMutation(
    trpc.users.resetPassword.mutationOptions({
      onSuccess: async (reset) => {
        await refresh();
        setResetLink(reset);
      },
    }),
  );
  const remove = useMutation(
    trpc.users.delete.mutationOptions({
      onSuccess: async (user) => {
        await refresh();
        setConfirming(null);
        toast({ title: `${user.name} deleted`, description: "What they wrote keeps their name.", tone: "success" });
      },
    }),
  );
  const resetInline = () => {
    updateRole.reset();
    reactivate.reset();
    unlock.reset();
    resetPassword.reset();
  };
  // Refusals of actions without a dialog (a promotion, a reactivation, an unlock, a reset link) show above the table.
  const inlineError = (confirming === null ? updateRole.error : null) ?? reactivate.error ?? unlock.error ?? resetPassword.error;
  const inlineQuota = quotaOf(inlineError);

  const onRoleChange = (user: Member, role: Role) => {
    if (role === user.role) return;
    resetInline();
    if (isDemotion(user.role, role)) setConfirming({ kind: "role", user, role });
    else updateRole.mutate({ id: user.id, role });
  };
  const closeDialog = () => {
    updateRole.reset();
    deactivate.reset();
    remove.reset();
    setConfirming(null);
  };

  return (
    <>
      <PageHeader
        title="Users"
        description={`Invite people, change their roles, reset passwords, and deactivate or delete accounts. ${seats} ${seats === 1 ? "seat is" : "seats are"} in use (active and invited).`}
        actions={<Button onClick={() => setInviting(true)}>Invite user</Button>}
      />
      {inlineError ? (
        <div className="mb-4 space-y-1">
          <ErrorAlert error={inlineError} title={inlineQuota ? "No seat left on the plan" : "That did not work"} />
          {inlineQuota ? (
            <p className="text-sm text-gray-600">
              Seats used: {inlineQuota.current} of {inlineQuota.limit}.
            </p>
          ) : null}
        </div>
      ) : null}

      {users.length === 0 ? (
        <EmptyState
          title="No users"
          description="Invite the people who work in this workspace."
          action={<Button onClick={() => setInviting(true)}>Invite user</Button>}
        />
      ) : (
        <Table>
          <TableCaption className="sr-only">Users of this workspace</TableCaption>
          <TableHeader>
            <TableRow>
              <TableHead>User</TableHead>
              <TableHead>Role</TableHead>
              <TableHead>Status</TableHead>
              <TableHead>Last sign-in</TableHead>
              <TableHead>Added</TableHead>
              <TableHead className="text-right">
                <span className="sr-only">Actions</span>
              </TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {users.map((user) => {
              const self = user.id === me.user.id;
              const status = STATUS[user.accountState];
              const roleBusy = updateRole.isPending && updateRole.variables.id === user.id;
              return (
                <TableRow key={user.id}>
                  <TableCell>
                    <p className="flex items-center gap-2 font-medium text-gray-900">
                      {user.name}
                      {self ? <Badge tone="brand">You</Badge> : null}
                    </p>
                    <p className="text-xs text-gray-600">{user.email}</p>
                  </TableCell>
                  <TableCell>
                    {user.status === "inactive" ? (
                      <Badge tone={ROLE_TONES[user.role]}>{ROLE_LABELS[user.role]}</Badge>
                    ) : (
                      <Select
                        aria-label={`Role of ${user.name}`}
                        value={user.role}
                        disabled={roleBusy}
                        onChange={(event) => onRoleChange(user, event.target.value as Role)}
                        className="h-8 w-32 py-0 text-sm"
                      >
                        {ROLES.map((role) => (
                          <option key={role.value} value={role.value}>
                            {role.label}
                          </option>
                        ))}
                      </Select>
                    )}
                  </TableCell>
                  <TableCell>
                    <div className="flex flex-wrap gap-1">
                      <Badge tone={status.tone}>{status.label}</Badge>
                      {user.lockedUntil ? <Badge tone="danger">Sign-in locked</Badge> : null}
                      {user.resetRequestedAt ? <Badge tone="warning">Password reset requested</Badge> : null}
                    </div>
                    {user.accountState === "invited" && user.invitationExpiresAt ? (
                      <p className="mt-1 text-xs text-gray-600">
                        until <DateTime value={user.invitationExpiresAt} format="date" />
                      </p>
                    ) : null}
                    {user.lockedUntil ? (
                      <p className="mt-1 text-xs text-gray-600">
                        until <DateTime value={user.lockedUntil} />
                      </p>
                    ) : null}
                    {user.resetRequestedAt ? (
                      <p className="mt-1 text-xs text-gray-600">
                        asked <DateTime value={user.resetRequestedAt} />: create a reset link and hand it over
                      </p>
                    ) : null}
                  </TableCell>
                  <TableCell className="whitespace-nowrap text-gray-600">
                    <DateTime value={user.lastLoginAt} fallback="Never" />
                  </TableCell>
                  <TableCell className="whitespace-nowrap text-gray-600">
                    <DateTime value={user.createdAt} format="date" />
                  </TableCell>
                  <TableCell>
                    <div className="flex flex-wrap justify-end gap-1">
                      {user.lockedUntil ? (
                        <Button
                          variant="secondary"
                          size="sm"
                          loading={unlock.isPending && unlock.variables.id === user.id}
                          onClick={() => {
                            resetInline();
                            unlock.mutate({ id: user.id });
                          }}
                        >
                          Unlock<span className="sr-only"> {user.name}</span>
                        </Button>
                      ) : null}
                      {user.accountState === "active" && !self ? (
                        <Button
                          variant={user.resetRequestedAt ? "secondary" : "ghost"}
                          size="sm"
                          loading={resetPassword.isPending && resetPassword.variables.id === user.id}
                          onClick={() => {
                            resetInline();
                            resetPassword.mutate({ id: user.id });
                          }}
                        >
                          Reset password<span className="sr-only"> of {user.name}</span>
                        </Button>
                      ) : null}
                      {user.accountState === "deactivated" ? (
                        <Button
                          variant="secondary"
                          size="sm"
                          loading={reactivate.isPending && reactivate.variables.id === user.id}
                          onClick={() => {
                            resetInline();
                            reactivate.mutate({ id: user.id });
                          }}
                        >
                          Reactivate<span className="sr-only"> {user.name}</span>
                        </Button>
                      ) : null}
                      {(user.accountState === "active" || user.accountState === "invited") && !self ? (
                        <Button
                          variant="dangerGhost"
                          size="sm"
                          onClick={() => {
                            resetInline();
                            setConfirming({ kind: "deactivate", user });
                          }}
                        >
                          {user.accountState === "invited" ? "Revoke invitation" : "Deactivate"}
                          <span className="sr-only"> {user.name}</span>
                        </Button>
                      ) : null}
                      {self ? null : (
                        <Button
                          variant="dangerGhost"
                          size="sm"
                          onClick={() => {
                            resetInline();
                            setConfirming({ kind: "delete", user });
                          }}
                        >
                          {isAccount(user) ? "Delete" : "Remove"}
                          <span className="sr-only"> {user.name}</span>
                        </Button>
                      )}
                    </div>
                  </TableCell>
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
      )}

      <InviteDialog open={inviting} onClose={() => setInviting(false)} />
      <ResetLinkDialog reset={resetLink} onClose={() => setResetLink(null)} />
      <ConfirmDialog
        open={confirming?.kind === "delete"}
        onClose={closeDialog}
        title={confirming?.kind === "delete" ? deleteTitle(confirming.user) : "Delete?"}
        description={
          confirming?.kind === "delete"
            ? isAccount(confirming.user)
              ? "They are signed out everywhere, their API keys stop working, and they can no longer sign in. Their prompts, versions and runs stay, shown with their name. This cannot be undone."
              : "The invitation disappears from the list; the email can be invited again."
            : null
        }
        confirmLabel={confirming?.kind === "delete" && isAccount(confirming.user) ? "Delete user" : "Remove"}
        errorTitle="Could not delete"
        pending={remove.isPending}
        error={remove.error}
        onConfirm={() => {
          if (confirming?.kind === "delete") remove.mutate({ id: confirming.user.id });
        }}
      />
      <ConfirmDialog
        open={confirming?.kind === "role"}
        onClose={closeDialog}
        title={confirming?.kind === "role" ? `Make ${confirming.user.name} ${confirming.role === "viewer" ? "a viewer" : "a member"}?` : "Change role?"}
        description={
          confirming?.kind === "role"
            ? `${ROLE_LABELS[confirming.user.role]} → ${ROLE_LABELS[confirming.role]}: ${ROLES.find((role) => role.value === confirming.role)?.description ?? ""}`
            : null
        }
        confirmLabel="Change role"
        errorTitle="Could not change the role"
        tone="primary"
        pending={updateRole.isPending}
        error={updateRole.error}
        onConfirm={() => {
          if (confirming?.kind === "role") updateRole.mutate({ id: confirming.user.id, role: confirming.role });
        }}
      >
        {confirming?.kind === "role" && confirming.user.id === me.user.id ? (
          <p className="text-sm font-medium text-amber-800">You are changing your own role: you will lose access to the admin pages.</p>
        ) : null}
      </ConfirmDialog>
      <ConfirmDialog
        open={confirming?.kind === "deactivate"}
        onClose={closeDialog}
        title={
          confirming?.kind === "deactivate"
            ? confirming.user.status === "pending"
              ? `Revoke the invitation of ${confirming.user.name}?`
              : `Deactivate ${confirming.user.name}?`
            : "Deactivate?"
        }
        description={
          confirming?.kind === "deactivate"
            ? confirming.user.status === "pending"
              ? "The invitation link stops working and the seat is freed."
              : "They are signed out everywhere and cannot sign in until reactivated. Their prompts and history stay. The seat is freed."
            : null
        }
        confirmLabel={confirming?.kind === "deactivate" && confirming.user.status === "pending" ? "Revoke invitation" : "Deactivate"}
        errorTitle="Could not deactivate"
        pending={deactivate.isPending}
        error={deactivate.error}
        onConfirm={() => {
          if (confirming?.kind === "deactivate") deactivate.mutate({ id: confirming.user.id });
        }}
      />
    </>
  );
}
