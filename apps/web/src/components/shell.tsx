import type { ReactNode } from "react";

/**
 * The signed-in frame shared by the workspace and the admin console: a sidebar (brand, nav,
 * account) and the page. Below `md` the sidebar becomes a top bar with a scrolling nav.
 */
export function Shell({ brand, nav, account, children }: { brand: ReactNode; nav: ReactNode; account: ReactNode; children: ReactNode }) {
  return (
    <div className="min-h-dvh md:flex">
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:absolute focus:top-2 focus:left-2 focus:z-50 focus:rounded-md focus:bg-white focus:px-3 focus:py-2 focus:shadow"
      >
        Skip to content
      </a>
      <aside className="flex shrink-0 flex-col border-b border-gray-200 bg-white md:sticky md:top-0 md:h-dvh md:w-60 md:border-r md:border-b-0">
        <div className="flex h-14 items-center px-4 md:h-16">{brand}</div>
        <div className="overflow-x-auto px-3 pb-3 md:flex-1 md:overflow-y-auto md:pb-0">{nav}</div>
        <div className="hidden border-t border-gray-200 p-3 md:block">{account}</div>
      </aside>
      <div className="min-w-0 flex-1">
        <div className="border-b border-gray-200 bg-white px-4 py-2 md:hidden">{account}</div>
        <main id="main" className="mx-auto w-full max-w-6xl px-4 py-6 sm:px-6 md:px-8 md:py-8">
          {children}
        </main>
      </div>
    </div>
  );
}
