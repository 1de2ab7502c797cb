"use client";

import { useEffect, useId, useRef, type ReactNode } from "react";
import { DialogDirtyContext, useConfirmDiscard, useDirtyForms } from "@/components/unsaved-changes/context";
import { cn } from "@/lib/cn";

export interface DialogProps {
  open: boolean;
  /** Called on Escape, the close button, a click on the backdrop, or `form method="dialog"`. */
  onClose: () => void;
  title: ReactNode;
  description?: ReactNode;
  children?: ReactNode;
  /** Buttons, right-aligned at the bottom. */
  footer?: ReactNode;
  className?: string;
}

/**
 * A modal on the native `<dialog>`: the browser traps focus, restores it on close, makes the
 * rest of the page inert and closes on Escape. Controlled by `open`.
 */
export function Dialog({ open, onClose, title, description, children, footer, className }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const descriptionId = useId();
  // The close event also fires when `open` turned false here; only report closes the user made.
  const openRef = useRef(open);
  // Forms inside report unsaved input (useUnsavedChanges); closing the dialog by accident then asks.
  const confirmDiscard = useConfirmDiscard();
  const [dirty, reportDirty] = useDirtyForms();
  const requestClose = () => {
    if (!dirty) return onClose();
    void confirmDiscard().then((discard) => {
      if (discard) onClose();
    });
  };

  useEffect(() => {
    openRef.current = open;
    const dialog = ref.current;
    if (!dialog) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);

  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      aria-describedby={description ? descriptionId : undefined}
      onClose={() => {
        if (openRef.current) onClose();
      }}
      onCancel={(event) => {
        // Let the parent decide (it owns `open`); the close event follows from it.
        event.preventDefault();
        requestClose();
      }}
      onClick={(event) => {
        if (event.target === ref.current) requestClose();
      }}
      className={cn("m-auto w-full max-w-lg rounded-lg border border-gray-200 bg-white p-0 text-gray-900 shadow-xl backdrop:bg-gray-900/40", className)}
    >
      <div className="px-6 pt-5 pb-4">
        <div className="flex items-start justify-between gap-4">
          <h2 id={titleId} className="text-base font-semibold">
            {title}
          </h2>
          <button
            type="button"
            onClick={requestClose}
            className="-m-1 rounded-md p-1 text-gray-500 hover:bg-gray-100 hover:text-gray-900 focus-visible:outline-2 focus-visible:outline-brand-600"
          >
            <span className="sr-only">Close</span>
            <svg viewBox="0 0 20 20" fill="currentColor" className="size-5" aria-hidden="true">
              <path d="M6.28 5.22a.75.75 0 0 0-1.06 1.06L8.94 10l-3.72 3.72a.75.75 0 1 0 1.06 1.06L10 11.06l3.72 3.72a.75.75 0 1 0 1.06-1.06L11.06 10l3.72-3.72a.75.75 0 0 0-1.06-1.06L10 8.94 6.28 5.22Z" />
            </svg>
          </button>
        </div>
        {description ? (
          <p id={descriptionId} className="mt-1 text-sm text-gray-600">
            {description}
          </p>
        ) : null}
        {children ? (
          <DialogDirtyContext.Provider value={reportDirty}>
            <div className="mt-4">{children}</div>
          </DialogDirtyContext.Provider>
        ) : null}
      </div>
      {footer ? <div className="flex justify-end gap-2 rounded-b-lg border-t border-gray-100 bg-gray-50 px-6 py-3">{footer}</div> : null}
    </dialog>
  );
}
