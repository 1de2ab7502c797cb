"use client";

import { useSyncExternalStore } from "react";

const subscribeToNothing = () => () => undefined;

/**
 * False while rendering on the server and during hydration, true after. Server-rendered fields
 * can be typed in before React owns them: such edits are lost or mangled when hydration resets the
 * field, so an editor stays read-only until this is true.
 */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    subscribeToNothing,
    () => true,
    () => false,
  );
}
