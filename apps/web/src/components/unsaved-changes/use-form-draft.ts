"use client";

import { useEffect, useState } from "react";
import { useHydrated } from "@/components/ui/use-hydrated";
import { clearDraft, draftKey, readDraft, writeDraft } from "@/lib/drafts";

export interface FormDraft {
  /** A stored draft was put back into the form ("Draft restored · Discard"). */
  restored: boolean;
  /** Forgets the draft (after a successful submit, or with the form's own reset). */
  clear: () => void;
}

/**
 * Keeps a form's input across a reload (lib/drafts.ts): while `active` (the form is open) and
 * `dirty`, `value` is stored under the scope and form; on the first active render a stored draft is
 * handed to `restore`, which runs during render and so may only set the calling component's state.
 * `scope` null (the user is not known yet) keeps nothing.
 */
export function useFormDraft<T>({
  scope,
  form,
  value,
  dirty,
  active = true,
  accept,
  restore,
}: {
  scope: string | null;
  form: string;
  value: T;
  dirty: boolean;
  active?: boolean;
  accept: (stored: unknown) => stored is T;
  restore: (draft: T) => void;
}): FormDraft {
  const key = scope === null ? null : draftKey(scope, form);
  // Storage exists only in the browser: the server's render and hydration see no draft.
  const inBrowser = useHydrated();
  const readyKey = active && inBrowser ? key : null;
  const [loadedKey, setLoadedKey] = useState<string | null>(null);
  const [restored, setRestored] = useState(false);
  // Read once per opening, during render (React's "adjust state when an input changes"), so the
  // first painted form already shows the draft. Nothing is written before that: the empty form
  // would overwrite it.
  if (readyKey !== loadedKey) {
    const draft = readyKey === null ? null : readDraft(window.sessionStorage, readyKey, accept);
    setLoadedKey(readyKey);
    setRestored(draft !== null);
    if (draft !== null) restore(draft);
  }

  useEffect(() => {
    if (key === null || loadedKey !== key) return;
    if (dirty) writeDraft(window.sessionStorage, key, value);
    else clearDraft(window.sessionStorage, key);
  }, [key, loadedKey, dirty, value]);

  const clear = () => {
    if (key !== null) clearDraft(window.sessionStorage, key);
    setRestored(false);
  };

  return { restored: restored && dirty, clear };
}
