/**
 * The browser side of "unsaved changes": which clicks leave the page, and the history sentinel
 * that lets the Back button ask first. React-free so it can be tested on its own; the provider in
 * components/unsaved-changes.tsx wires it to the page.
 *
 * Back button: the App Router listens to `popstate` on `window` and there is no way to cancel a
 * traversal. So while something is dirty, the current entry is duplicated with `pushState` (the
 * "sentinel", marked in its state). Back then lands on the original entry of the same page; a
 * capture-phase `popstate` listener (capture listeners at the target run before the router's
 * bubble one) stops the router from seeing it and asks. Stay → `history.forward()` onto the
 * sentinel again (it keeps whatever URL the page wrote into it meanwhile); Discard → `history.back()`
 * once more, which the router handles as usual. When the page becomes clean again, the sentinel
 * is removed (back, then the original entry takes the sentinel's state and URL), so Back needs no
 * extra press. While the sentinel is the last entry, Forward has nowhere to go, so it cannot lose
 * edits either.
 */

/** The key marking the sentinel entry in `history.state`. */
export const SENTINEL_KEY = "__sigilUnsaved";

/** Keys the App Router keeps in `history.state` (it copies them itself into `replaceState(data)` without them). */
const ROUTER_KEYS = ["__NA", "__PRIVATE_NEXTJS_INTERNALS_TREE"];

function asRecord(state: unknown): Record<string, unknown> {
  return typeof state === "object" && state !== null ? (state as Record<string, unknown>) : {};
}

export function isSentinel(state: unknown): boolean {
  return asRecord(state)[SENTINEL_KEY] === true;
}

export function markSentinel(state: unknown): Record<string, unknown> {
  return { ...asRecord(state), [SENTINEL_KEY]: true };
}

export function unmarkSentinel(state: unknown): Record<string, unknown> {
  const { [SENTINEL_KEY]: _sentinel, ...rest } = asRecord(state);
  return rest;
}

/**
 * The state to pass to `history.replaceState` when a page rewrites its own URL (tabs, filters):
 * the entry's own keys without the router's, so the router still syncs its URL and the sentinel
 * mark survives.
 */
export function customHistoryState(state: unknown): Record<string, unknown> {
  return Object.fromEntries(Object.entries(asRecord(state)).filter(([key]) => !ROUTER_KEYS.includes(key)));
}

/** What of a click decides whether it leaves the page. */
export interface LinkClick {
  defaultPrevented: boolean;
  button: number;
  metaKey: boolean;
  ctrlKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
  /** The clicked anchor's attributes; null when the click was not on a link. */
  anchor: { href: string; target: string; download: boolean } | null;
}

/**
 * The same-origin URL a click would navigate this tab to, or null when the click stays on the page
 * (hash links, the current URL), opens elsewhere (new tab, download, modifier keys) or leaves the
 * origin (beforeunload covers those).
 */
export function leavingHref(click: LinkClick, current: URL): string | null {
  const { anchor } = click;
  if (anchor === null || click.defaultPrevented || click.button !== 0) return null;
  if (click.metaKey || click.ctrlKey || click.shiftKey || click.altKey) return null;
  if (anchor.download || (anchor.target !== "" && anchor.target !== "_self")) return null;
  let url: URL;
  try {
    url = new URL(anchor.href, current);
  } catch {
    return null;
  }
  if (url.origin !== current.origin) return null;
  if (url.pathname === current.pathname && url.search === current.search) return null;
  return `${url.pathname}${url.search}${url.hash}`;
}

/** The parts of `window.history` and `location` the guard uses (a fake in tests). */
export interface HistoryLike {
  readonly state: unknown;
  pushState(data: unknown, unused: string, url?: string | null): void;
  replaceState(data: unknown, unused: string, url?: string | null): void;
  back(): void;
  forward(): void;
}

/** What the guard does with a `popstate`. */
export type PopstateDecision = "pass" | "swallow" | "ask";

/**
 * The sentinel's state machine. `setDirty` keeps the sentinel in step with the page; `onPopstate`
 * says what to do with each traversal. At most one traversal of its own is in flight at a time;
 * changes meanwhile are applied when it lands.
 */
export class HistorySentinel {
  private dirty = false;
  private leaving = false;
  /** A traversal the guard started and whose popstate it handles itself. */
  private pending: { kind: "forward" } | { kind: "clean"; state: Record<string, unknown>; url: string } | null = null;

  constructor(
    private readonly history: HistoryLike,
    private readonly href: () => string,
  ) {}

  setDirty(dirty: boolean): void {
    this.dirty = dirty;
    if (dirty) this.leaving = false;
    this.sync();
  }

  /** Navigation away was confirmed: no more questions, no sentinel clean-up. */
  leave(): void {
    this.leaving = true;
  }

  get isLeaving(): boolean {
    return this.leaving;
  }

  /** Whether the page should ask before a traversal or unload. */
  get guarding(): boolean {
    return this.dirty && !this.leaving;
  }

  onPopstate(): PopstateDecision {
    const pending = this.pending;
    if (pending !== null) {
      this.pending = null;
      if (pending.kind === "clean") this.history.replaceState(unmarkSentinel(pending.state), "", pending.url);
      this.sync();
      return "swallow";
    }
    return this.guarding ? "ask" : "pass";
  }

  /** The answer to "ask": stay on the page (back onto the sentinel) or leave (one more step back). */
  resolve(discard: boolean): void {
    if (discard) {
      this.leaving = true;
      this.history.back();
    } else {
      this.pending = { kind: "forward" };
      this.history.forward();
    }
  }

  private sync(): void {
    if (this.pending !== null || this.leaving) return;
    const onSentinel = isSentinel(this.history.state);
    if (this.dirty && !onSentinel) {
      this.history.pushState(markSentinel(this.history.state), "", this.href());
    } else if (!this.dirty && onSentinel) {
      this.pending = { kind: "clean", state: asRecord(this.history.state), url: this.href() };
      this.history.back();
    }
  }
}
