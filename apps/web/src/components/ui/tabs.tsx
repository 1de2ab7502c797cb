"use client";

import { createContext, useContext, useId, useRef, useState, type KeyboardEvent, type ReactNode } from "react";
import { cn } from "@/lib/cn";

interface TabsState {
  value: string;
  select: (value: string) => void;
  idFor: (value: string, part: "tab" | "panel") => string;
}
const TabsContext = createContext<TabsState | null>(null);

function useTabs(): TabsState {
  const state = useContext(TabsContext);
  if (!state) throw new Error("Tabs parts must be inside <Tabs>.");
  return state;
}

/**
 * WAI-ARIA tabs: arrow keys move between tabs (Home/End to the ends), only the selected tab is
 * in the tab order. Uncontrolled (`defaultValue`) or controlled (`value` + `onValueChange`).
 */
export function Tabs({
  defaultValue,
  value,
  onValueChange,
  children,
  className,
}: {
  defaultValue?: string;
  value?: string;
  onValueChange?: (value: string) => void;
  children: ReactNode;
  className?: string;
}) {
  const [internal, setInternal] = useState(defaultValue ?? "");
  const baseId = useId();
  const current = value ?? internal;
  const state: TabsState = {
    value: current,
    select: (next) => {
      if (value === undefined) setInternal(next);
      onValueChange?.(next);
    },
    idFor: (item, part) => `${baseId}-${part}-${item}`,
  };
  return (
    <TabsContext.Provider value={state}>
      <div className={className}>{children}</div>
    </TabsContext.Provider>
  );
}

export function TabsList({ children, label, className }: { children: ReactNode; label: string; className?: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const tabs = Array.from(ref.current?.querySelectorAll<HTMLButtonElement>('[role="tab"]:not([disabled])') ?? []);
    const index = tabs.findIndex((tab) => tab === document.activeElement);
    if (index === -1) return;
    const next = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: tabs.length - 1 }[event.key];
    if (next === undefined) return;
    event.preventDefault();
    const target = tabs[(next + tabs.length) % tabs.length];
    target?.focus();
    target?.click();
  };
  return (
    <div ref={ref} role="tablist" aria-label={label} onKeyDown={onKeyDown} className={cn("flex gap-1 border-b border-gray-200", className)}>
      {children}
    </div>
  );
}

export function TabsTrigger({ value, children, disabled }: { value: string; children: ReactNode; disabled?: boolean }) {
  const tabs = useTabs();
  const selected = tabs.value === value;
  return (
    <button
      type="button"
      role="tab"
      id={tabs.idFor(value, "tab")}
      aria-selected={selected}
      aria-controls={tabs.idFor(value, "panel")}
      tabIndex={selected ? 0 : -1}
      disabled={disabled}
      onClick={() => tabs.select(value)}
      className={cn(
        // Narrower on phones: four tabs fit a 390 px screen (e2e/site/narrow-screens.e2e.ts).
        "-mb-px border-b-2 px-2 py-2 text-sm font-medium whitespace-nowrap transition-colors focus-visible:outline-2 focus-visible:outline-brand-600 sm:px-3",
        selected ? "border-brand-600 text-brand-700" : "border-transparent text-gray-600 hover:border-gray-300 hover:text-gray-900",
        "disabled:cursor-not-allowed disabled:text-gray-400",
      )}
    >
      {children}
    </button>
  );
}

export function TabsContent({ value, children, className }: { value: string; children: ReactNode; className?: string }) {
  const tabs = useTabs();
  if (tabs.value !== value) return null;
  return (
    <div
      role="tabpanel"
      id={tabs.idFor(value, "panel")}
      aria-labelledby={tabs.idFor(value, "tab")}
      tabIndex={0}
      className={cn("pt-4 focus-visible:outline-none", className)}
    >
      {children}
    </div>
  );
}
