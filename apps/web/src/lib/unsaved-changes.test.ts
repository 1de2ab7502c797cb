import { describe, expect, it } from "vitest";
import { customHistoryState, HistorySentinel, isSentinel, leavingHref, markSentinel, type HistoryLike, type LinkClick } from "./unsaved-changes";

const here = new URL("http://acme.localhost:3000/prompts/p1?tab=versions");
const click = (href: string | null, patch: Partial<LinkClick> = {}): LinkClick => ({
  defaultPrevented: false,
  button: 0,
  metaKey: false,
  ctrlKey: false,
  shiftKey: false,
  altKey: false,
  anchor: href === null ? null : { href, target: "", download: false },
  ...patch,
});

describe("leavingHref", () => {
  it("returns the path of a plain same-origin link to another page", () => {
    expect(leavingHref(click("http://acme.localhost:3000/prompts"), here)).toBe("/prompts");
    expect(leavingHref(click("/executions?status=failed#top"), here)).toBe("/executions?status=failed#top");
    expect(leavingHref(click("/prompts/p1?tab=editor"), here)).toBe("/prompts/p1?tab=editor");
  });

  it("lets clicks through that do not leave this tab's page", () => {
    expect(leavingHref(click(null), here)).toBeNull();
    expect(leavingHref(click("#section"), here)).toBeNull();
    expect(leavingHref(click("/prompts/p1?tab=versions#x"), here)).toBeNull();
    expect(leavingHref(click("/prompts", { ctrlKey: true }), here)).toBeNull();
    expect(leavingHref(click("/prompts", { metaKey: true }), here)).toBeNull();
    expect(leavingHref(click("/prompts", { shiftKey: true }), here)).toBeNull();
    expect(leavingHref(click("/prompts", { button: 1 }), here)).toBeNull();
    expect(leavingHref(click("/prompts", { defaultPrevented: true }), here)).toBeNull();
    expect(leavingHref(click("/prompts", { anchor: { href: "/prompts", target: "_blank", download: false } }), here)).toBeNull();
    expect(leavingHref(click("/prompts", { anchor: { href: "/files/1", target: "", download: true } }), here)).toBeNull();
  });

  it("leaves other origins to beforeunload", () => {
    expect(leavingHref(click("https://example.com/"), here)).toBeNull();
    expect(leavingHref(click("http://globex.localhost:3000/prompts"), here)).toBeNull();
  });
});

describe("history state helpers", () => {
  it("marks, recognizes and keeps the sentinel through a URL rewrite", () => {
    const routerState = { __NA: true, __PRIVATE_NEXTJS_INTERNALS_TREE: ["tree"] };
    const marked = markSentinel(routerState);
    expect(isSentinel(marked)).toBe(true);
    expect(isSentinel(routerState)).toBe(false);
    expect(isSentinel(null)).toBe(false);
    expect(customHistoryState(marked)).toEqual({ __sigilUnsaved: true });
    expect(customHistoryState(null)).toEqual({});
  });
});

/** A session history: entries and an index, with traversals landing when `land()` is called (they are async in browsers). */
class FakeHistory implements HistoryLike {
  entries: { state: unknown; url: string }[] = [
    { state: { page: "list" }, url: "/prompts" },
    { state: { page: "editor" }, url: "/prompts/p1" },
  ];
  index = 1;
  private queued: number[] = [];

  get state(): unknown {
    return this.entries[this.index]?.state;
  }
  get url(): string {
    return this.entries[this.index]?.url ?? "";
  }
  pushState(state: unknown, _unused: string, url?: string | null): void {
    this.entries = [...this.entries.slice(0, this.index + 1), { state, url: url ?? this.url }];
    this.index += 1;
  }
  replaceState(state: unknown, _unused: string, url?: string | null): void {
    this.entries[this.index] = { state, url: url ?? this.url };
  }
  back(): void {
    this.queued.push(-1);
  }
  forward(): void {
    this.queued.push(1);
  }
  /** The user pressed Back. */
  userBack(): void {
    this.index -= 1;
  }
  /** Lands the queued traversal; returns whether one was queued. */
  land(): boolean {
    const delta = this.queued.shift();
    if (delta === undefined) return false;
    this.index = Math.min(Math.max(this.index + delta, 0), this.entries.length - 1);
    return true;
  }
}

function setup() {
  const history = new FakeHistory();
  const guard = new HistorySentinel(history, () => history.url);
  return { history, guard };
}

describe("HistorySentinel", () => {
  it("adds a copy of the page while dirty, so Back stays on the page and asks", () => {
    const { history, guard } = setup();
    guard.setDirty(true);
    expect(history.entries).toHaveLength(3);
    expect(isSentinel(history.state)).toBe(true);
    expect(history.url).toBe("/prompts/p1");

    history.userBack();
    expect(history.url).toBe("/prompts/p1");
    expect(guard.onPopstate()).toBe("ask");
  });

  it("Stay goes forward onto the sentinel again, without the router seeing it", () => {
    const { history, guard } = setup();
    guard.setDirty(true);
    history.replaceState(markSentinel({ page: "editor" }), "", "/prompts/p1?tab=versions");
    history.userBack();
    expect(guard.onPopstate()).toBe("ask");
    guard.resolve(false);
    expect(history.land()).toBe(true);
    expect(guard.onPopstate()).toBe("swallow");
    // The URL the page wrote meanwhile is back.
    expect(history.url).toBe("/prompts/p1?tab=versions");
    expect(isSentinel(history.state)).toBe(true);
    expect(history.entries).toHaveLength(3);
    expect(guard.guarding).toBe(true);
  });

  it("Discard steps back once more and lets the router handle it", () => {
    const { history, guard } = setup();
    guard.setDirty(true);
    history.userBack();
    expect(guard.onPopstate()).toBe("ask");
    guard.resolve(true);
    expect(guard.guarding).toBe(false);
    history.land();
    expect(history.url).toBe("/prompts");
    expect(guard.onPopstate()).toBe("pass");
  });

  it("removes the sentinel when the page is clean again, keeping its URL", () => {
    const { history, guard } = setup();
    guard.setDirty(true);
    history.replaceState(markSentinel({ page: "editor" }), "", "/prompts/p1?tab=versions");
    guard.setDirty(false);
    history.land();
    expect(guard.onPopstate()).toBe("swallow");
    expect(history.index).toBe(1);
    expect(history.url).toBe("/prompts/p1?tab=versions");
    expect(isSentinel(history.state)).toBe(false);
    // Back now leaves the page without asking.
    history.userBack();
    expect(guard.onPopstate()).toBe("pass");
  });

  it("applies a change made while its own traversal was in flight when it lands", () => {
    const { history, guard } = setup();
    guard.setDirty(true);
    guard.setDirty(false);
    guard.setDirty(true);
    history.land();
    expect(guard.onPopstate()).toBe("swallow");
    expect(isSentinel(history.state)).toBe(true);
    expect(history.url).toBe("/prompts/p1");
  });

  it("asks nothing and leaves history alone while clean or after leaving", () => {
    const { history, guard } = setup();
    history.userBack();
    expect(guard.onPopstate()).toBe("pass");
    expect(history.entries).toHaveLength(2);

    const second = setup();
    second.guard.setDirty(true);
    second.guard.leave();
    second.guard.setDirty(false);
    expect(second.history.land()).toBe(false);
    expect(second.guard.guarding).toBe(false);
  });
});
