"use client";

import { usePathname } from "next/navigation";
import { useEffect, useEffectEvent, useId, useRef, useState, type MouseEvent, type ReactNode } from "react";
import { flushSync } from "react-dom";
import { cn } from "@/lib/cn";
import { Icon } from "./icons";

/** Tailwind's `md` breakpoint: from here on the sidebar is always shown and the drawer is off. */
const WIDE = "(min-width: 768px)";

/**
 * The signed-in frame shared by the workspace and the admin console: a sidebar (brand, nav,
 * account) and the page. Below `md` the sidebar is a drawer behind a menu button in a top bar:
 * opening it moves focus into it and makes the page inert; Escape, a click outside, the close
 * button, following a link and navigating all close it.
 */
export function Shell({ brand, nav, account, children }: { brand: ReactNode; nav: ReactNode; account: ReactNode; children: ReactNode }) {
  const pathname = usePathname();
  // The path the drawer was opened on: navigating elsewhere closes it without an effect.
  const [openOn, setOpenOn] = useState<string | null>(null);
  const open = openOn === pathname;
  const drawerId = useId();
  const drawer = useRef<HTMLElement>(null);
  const menuButton = useRef<HTMLButtonElement>(null);

  // The page stops being inert only once React rendered the closed state: focus the button after.
  const closeToButton = () => {
    flushSync(() => setOpenOn(null));
    menuButton.current?.focus();
  };
  const onEscape = useEffectEvent(closeToButton);

  useEffect(() => {
    if (!open) return;
    drawer.current?.querySelector<HTMLElement>("a[href], button")?.focus();
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "Escape") onEscape();
    };
    // Widening the window past `md` shows the sidebar in place: the drawer state goes.
    const wide = window.matchMedia(WIDE);
    const onWide = () => {
      if (wide.matches) setOpenOn(null);
    };
    document.addEventListener("keydown", onKey);
    wide.addEventListener("change", onWide);
    return () => {
      document.removeEventListener("keydown", onKey);
      wide.removeEventListener("change", onWide);
    };
  }, [open]);

  // A link followed inside the drawer closes it, also one to the page already shown.
  const onDrawerClick = (event: MouseEvent<HTMLElement>) => {
    if (open && event.target instanceof Element && event.target.closest("a[href]")) setOpenOn(null);
  };

  return (
    <div className="min-h-dvh md:flex">
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:absolute focus:top-2 focus:left-2 focus:z-50 focus:rounded-md focus:bg-white focus:px-3 focus:py-2 focus:shadow"
      >
        Skip to content
      </a>
      {open ? <div aria-hidden="true" className="fixed inset-0 z-40 bg-gray-900/40 md:hidden" onClick={() => setOpenOn(null)} /> : null}
      <aside
        id={drawerId}
        ref={drawer}
        aria-label={open ? "Menu" : undefined}
        role={open ? "dialog" : undefined}
        aria-modal={open ? true : undefined}
        onClick={onDrawerClick}
        className={cn(
          "fixed top-0 bottom-0 left-0 z-50 flex w-72 max-w-[85vw] flex-col border-r border-gray-200 bg-white shadow-xl transition-transform",
          "md:visible md:sticky md:top-0 md:bottom-auto md:h-dvh md:w-60 md:max-w-none md:shrink-0 md:translate-x-0 md:shadow-none md:transition-none",
          open ? "translate-x-0" : "invisible -translate-x-full",
        )}
      >
        <div className="flex h-14 items-center justify-between gap-2 px-4 md:h-16">
          {brand}
          <button
            type="button"
            onClick={closeToButton}
            className="-mr-1 rounded-md p-1.5 text-gray-600 hover:bg-gray-100 hover:text-gray-900 focus-visible:outline-2 focus-visible:outline-brand-600 md:hidden"
          >
            <span className="sr-only">Close menu</span>
            <Icon name="close" className="size-5" />
          </button>
        </div>
        <div className="flex-1 overflow-y-auto px-3 pb-3">{nav}</div>
        <div className="border-t border-gray-200 p-3">{account}</div>
      </aside>
      <div className="min-w-0 flex-1" inert={open}>
        <div className="sticky top-0 z-30 flex h-14 items-center gap-2 border-b border-gray-200 bg-white px-2 md:hidden">
          <button
            ref={menuButton}
            type="button"
            aria-expanded={open}
            aria-controls={drawerId}
            onClick={() => setOpenOn(pathname)}
            className="rounded-md p-2 text-gray-700 hover:bg-gray-100 hover:text-gray-900 focus-visible:outline-2 focus-visible:outline-brand-600"
          >
            <span className="sr-only">Menu</span>
            <Icon name="menu" className="size-5" />
          </button>
          <div className="min-w-0">{brand}</div>
        </div>
        <main id="main" className="mx-auto w-full max-w-6xl px-4 py-6 sm:px-6 md:px-8 md:py-8">
          {children}
        </main>
      </div>
    </div>
  );
}
