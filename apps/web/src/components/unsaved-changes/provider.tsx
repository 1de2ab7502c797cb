"use client";

import { useRouter } from "next/navigation";
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { HistorySentinel, isSentinel, leavingHref } from "@/lib/unsaved-changes";
import { UnsavedChangesContext, useDirtyForms, type UnsavedChangesApi } from "./context";

function clickOf(event: MouseEvent) {
  const anchor = event.target instanceof Element ? event.target.closest("a[href]") : null;
  return {
    defaultPrevented: event.defaultPrevented,
    button: event.button,
    metaKey: event.metaKey,
    ctrlKey: event.ctrlKey,
    shiftKey: event.shiftKey,
    altKey: event.altKey,
    anchor: anchor instanceof HTMLAnchorElement ? { href: anchor.href, target: anchor.target, download: anchor.hasAttribute("download") } : null,
  };
}

/**
 * One guard for the whole app (see lib/unsaved-changes.ts for the Back button): forms report
 * their dirty flag with `useUnsavedChanges`; while any is dirty, link clicks, Back and unloads ask.
 */
export function UnsavedChangesProvider({ children }: { children: ReactNode }) {
  const router = useRouter();
  const [dirty, report] = useDirtyForms();
  const [asking, setAsking] = useState(false);
  const resolveQuestion = useRef<((discard: boolean) => void) | null>(null);
  const sentinel = useRef<HistorySentinel | null>(null);

  const confirmDiscard = useCallback(
    () =>
      new Promise<boolean>((resolve) => {
        // A question already open is answered "Stay" by the newer one.
        resolveQuestion.current?.(false);
        resolveQuestion.current = resolve;
        setAsking(true);
      }),
    [],
  );
  const leaveTo = useCallback(
    (href: string) => {
      // The sentinel is a copy of this page: the next page takes its place, so Back returns here once.
      const replace = isSentinel(window.history.state);
      sentinel.current?.leave();
      if (replace) router.replace(href);
      else router.push(href);
    },
    [router],
  );
  const api = useMemo<UnsavedChangesApi>(() => ({ report, confirmDiscard, leaveTo }), [report, confirmDiscard, leaveTo]);

  // Installed once: the listeners read the sentinel's state, so their order against the router's never changes.
  useEffect(() => {
    const guard = new HistorySentinel(window.history, () => window.location.href);
    sentinel.current = guard;
    const onPopstate = (event: PopStateEvent) => {
      const decision = guard.onPopstate();
      if (decision === "pass") return;
      // Capture-phase listeners on the target run before the router's: it never sees this traversal.
      event.stopImmediatePropagation();
      if (decision === "ask") void confirmDiscard().then((discard) => guard.resolve(discard));
    };
    const onClick = (event: MouseEvent) => {
      if (!guard.guarding) return;
      const href = leavingHref(clickOf(event), new URL(window.location.href));
      if (href === null) return;
      // Before React's root listener: next/link never starts the navigation.
      event.preventDefault();
      event.stopPropagation();
      void confirmDiscard().then((discard) => {
        if (discard) leaveTo(href);
      });
    };
    const onBeforeUnload = (event: BeforeUnloadEvent) => {
      if (!guard.guarding) return;
      event.preventDefault();
      // Older browsers show the dialog only with a returnValue.
      event.returnValue = "";
    };
    window.addEventListener("popstate", onPopstate, { capture: true });
    document.addEventListener("click", onClick, { capture: true });
    window.addEventListener("beforeunload", onBeforeUnload);
    return () => {
      window.removeEventListener("popstate", onPopstate, { capture: true });
      document.removeEventListener("click", onClick, { capture: true });
      window.removeEventListener("beforeunload", onBeforeUnload);
      sentinel.current = null;
    };
  }, [confirmDiscard, leaveTo]);

  useEffect(() => {
    sentinel.current?.setDirty(dirty);
  }, [dirty]);

  const answer = (discard: boolean) => {
    resolveQuestion.current?.(discard);
    resolveQuestion.current = null;
    setAsking(false);
  };

  return (
    <UnsavedChangesContext.Provider value={api}>
      {children}
      <ConfirmDialog
        open={asking}
        onClose={() => answer(false)}
        title="Discard unsaved changes?"
        description="What you typed here has not been saved. Leaving now throws it away."
        confirmLabel="Discard"
        cancelLabel="Stay"
        onConfirm={() => answer(true)}
      />
    </UnsavedChangesContext.Provider>
  );
}
