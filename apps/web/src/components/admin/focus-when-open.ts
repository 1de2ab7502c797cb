"use client";

import { useEffect, useRef } from "react";

/**
 * A ref for the control a dialog should start on (the native dialog focuses its first button,
 * the close button, otherwise). Effects of the Dialog (a child) run first, so the dialog is
 * already shown when this focuses.
 */
export function useFocusWhenOpen<T extends HTMLElement>(open: boolean) {
  const ref = useRef<T>(null);
  useEffect(() => {
    if (open) ref.current?.focus();
  }, [open]);
  return ref;
}
