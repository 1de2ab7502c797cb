"use client";

import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { DateTime } from "@/components/ui/date-time";
import { Dialog } from "@/components/ui/dialog";
import { useWorkspaceHref } from "@/components/workspace/workspace-context";
import type { RouterOutputs } from "@/trpc/types";
import { absoluteLink, OneTimeLink } from "./one-time-link";

type ResetLink = RouterOutputs["users"]["resetPassword"];

/** The reset link an admin created (users.resetPassword): shown once, to hand over or as proof it was mailed. */
export function ResetLinkDialog({ reset, onClose }: { reset: ResetLink | null; onClose: () => void }) {
  const href = useWorkspaceHref();
  return (
    <Dialog open={reset !== null} onClose={onClose} title="Password reset link">
      {reset ? (
        <div className="space-y-4">
          {reset.mailed ? (
            <Alert tone="success" title="Reset link mailed">
              Sigil sent it to {reset.user.email}.
            </Alert>
          ) : (
            <p className="text-sm text-gray-700">
              {reset.mailError ?? "This installation does not send mail."} Give this link to{" "}
              <span className="font-medium text-gray-900">{reset.user.name}</span> ({reset.user.email}) in person or through a channel you trust: whoever opens
              it chooses the account&apos;s password.
            </p>
          )}
          <OneTimeLink
            label="Reset link"
            link={absoluteLink(href(`/reset-password/${reset.resetToken}`))}
            hint={
              <>
                Works once, until <DateTime value={reset.expiresAt} />. Using it signs the account out everywhere.
              </>
            }
            lostAdvice="if it is lost, create a new one (this one then stops working)."
          />
          <div className="-mx-6 -mb-4 flex justify-end gap-2 rounded-b-lg border-t border-gray-100 bg-gray-50 px-6 py-3">
            <Button onClick={onClose}>Done</Button>
          </div>
        </div>
      ) : null}
    </Dialog>
  );
}
