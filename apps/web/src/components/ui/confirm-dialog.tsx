"use client";

import type { ReactNode } from "react";
import { ErrorAlert } from "./alert";
import { Button } from "./button";
import { Dialog } from "./dialog";

export interface ConfirmDialogProps {
  open: boolean;
  onClose: () => void;
  title: ReactNode;
  /** What will happen, in a sentence. */
  description?: ReactNode;
  /** Extra content between the description and the buttons (a warning, a detail). */
  children?: ReactNode;
  /** The confirm button's text: say what it does ("Delete file"), not "OK". */
  confirmLabel: string;
  /** The dismiss button's text ("Stay" where "Cancel" would be ambiguous). */
  cancelLabel?: string;
  /** Danger for destructive actions (the default), primary otherwise. */
  tone?: "danger" | "primary";
  onConfirm: () => void;
  /** The mutation is running: the confirm button spins and the dialog stays open. */
  pending?: boolean;
  /** The mutation's error, shown with the server's message inside the dialog. */
  error?: unknown;
  /** The heading of that error ("Could not delete the file"). */
  errorTitle?: ReactNode;
}

/**
 * "Are you sure?" on the shared Dialog: Escape or Cancel closes it, the confirm button runs the
 * action and shows its progress; a refusal from the server is shown in the dialog.
 */
export function ConfirmDialog({
  open,
  onClose,
  title,
  description,
  children,
  confirmLabel,
  cancelLabel = "Cancel",
  tone = "danger",
  onConfirm,
  pending = false,
  error,
  errorTitle,
}: ConfirmDialogProps) {
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title={title}
      description={description}
      footer={
        <>
          <Button variant="secondary" onClick={onClose} disabled={pending}>
            {cancelLabel}
          </Button>
          <Button variant={tone} onClick={onConfirm} loading={pending}>
            {confirmLabel}
          </Button>
        </>
      }
    >
      {children || error ? (
        <div className="space-y-3">
          {children}
          <ErrorAlert error={error} title={errorTitle} />
        </div>
      ) : null}
    </Dialog>
  );
}
