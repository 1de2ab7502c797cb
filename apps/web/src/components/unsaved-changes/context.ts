"use client";

import { createContext, useCallback, useContext, useEffect, useId, useRef, useState } from "react";

export interface UnsavedChangesApi {
  /** Reports whether the form `id` holds unsaved work (false also when it unmounts). */
  report: (id: string, dirty: boolean) => void;
  /** Asks "Discard unsaved changes?"; resolves true on Discard, false on Stay. */
  confirmDiscard: () => Promise<boolean>;
  /** Navigates without asking (the work was just saved), replacing the Back-button sentinel if there is one. */
  leaveTo: (href: string) => void;
}

export const UnsavedChangesContext = createContext<UnsavedChangesApi | null>(null);

/** Set by a Dialog around its content: the forms inside report to it too, so Escape and a click outside ask. */
export const DialogDirtyContext = createContext<((id: string, dirty: boolean) => void) | null>(null);

function useApi(): UnsavedChangesApi {
  const api = useContext(UnsavedChangesContext);
  if (!api) throw new Error("Unsaved-change guards need <UnsavedChangesProvider> (the root layout has one).");
  return api;
}

/**
 * While `dirty`, leaving the page asks first: links and the sidebar, Back, reload and closing the
 * tab; inside a Dialog, also closing it with Escape, a click outside or its close button. Every
 * editor or form that holds typed input calls this with its own dirty flag.
 */
export function useUnsavedChanges(dirty: boolean): void {
  const { report } = useApi();
  const reportToDialog = useContext(DialogDirtyContext);
  const id = useId();
  useEffect(() => {
    report(id, dirty);
    reportToDialog?.(id, dirty);
    return () => {
      report(id, false);
      reportToDialog?.(id, false);
    };
  }, [report, reportToDialog, id, dirty]);
}

/** The same "Discard unsaved changes?" question, for closes the page decides itself (a dialog's Escape). */
export function useConfirmDiscard(): () => Promise<boolean> {
  return useApi().confirmDiscard;
}

/** For the navigation that follows a successful submit: `leaveTo(href)` goes there without asking. */
export function useLeaveTo(): (href: string) => void {
  return useApi().leaveTo;
}

/** Whether any of the forms reporting to `report` is dirty (the provider and each Dialog keep one). */
export function useDirtyForms(): [dirty: boolean, report: (id: string, dirty: boolean) => void] {
  const forms = useRef(new Set<string>());
  const [dirty, setDirty] = useState(false);
  const report = useCallback((id: string, formDirty: boolean) => {
    if (formDirty) forms.current.add(id);
    else forms.current.delete(id);
    setDirty(forms.current.size > 0);
  }, []);
  return [dirty, report];
}

/**
 * `useUnsavedChanges` as an element, for state owned by the component that renders the Dialog:
 * placed inside the dialog's content, it reports to that dialog too.
 */
export function UnsavedChanges({ dirty }: { dirty: boolean }): null {
  useUnsavedChanges(dirty);
  return null;
}

/** Whether `value` differs from what it was on the first render (forms that start from saved values). */
export function useChangedSinceMount(value: unknown): boolean {
  const [initial] = useState(() => JSON.stringify(value));
  return JSON.stringify(value) !== initial;
}
