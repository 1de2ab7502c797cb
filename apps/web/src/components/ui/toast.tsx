"use client";

import { createContext, useCallback, useContext, useMemo, useRef, useState, type ReactNode } from "react";
import { cn } from "@/lib/cn";

export type ToastTone = "info" | "success" | "danger";
export interface ToastInput {
  title: string;
  description?: string;
  tone?: ToastTone;
  /** Milliseconds before it goes away; errors stay twice as long by default. */
  durationMs?: number;
  /** A toast with the same key replaces the one shown (e.g. "Saved as v3" replaces "Saved as v2"). */
  key?: string;
}
interface ToastItem extends Required<Pick<ToastInput, "title" | "tone">> {
  id: number;
  description?: string;
  key?: string;
}

const ToastContext = createContext<((toast: ToastInput) => void) | null>(null);

/** `const toast = useToast(); toast({ title: "Prompt saved", tone: "success" })`. */
export function useToast(): (toast: ToastInput) => void {
  const show = useContext(ToastContext);
  if (!show) throw new Error("useToast needs <ToastProvider> (the root layout has one).");
  return show;
}

const TONES: Record<ToastTone, string> = {
  info: "border-gray-200",
  success: "border-green-300",
  danger: "border-red-300",
};
const DOTS: Record<ToastTone, string> = { info: "bg-brand-600", success: "bg-green-600", danger: "bg-red-600" };

/** Short confirmations in the bottom-right corner, announced by screen readers (aria-live). */
export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<ToastItem[]>([]);
  const nextId = useRef(1);

  const dismiss = useCallback((id: number) => setToasts((current) => current.filter((toast) => toast.id !== id)), []);
  const show = useCallback(
    ({ title, description, tone = "info", durationMs, key }: ToastInput) => {
      const id = nextId.current++;
      setToasts((current) => [...current.filter((toast) => key === undefined || toast.key !== key).slice(-3), { id, title, description, tone, key }]);
      setTimeout(() => dismiss(id), durationMs ?? (tone === "danger" ? 10_000 : 5_000));
    },
    [dismiss],
  );
  const value = useMemo(() => show, [show]);

  return (
    <ToastContext.Provider value={value}>
      {children}
      <div aria-live="polite" className="pointer-events-none fixed right-4 bottom-4 z-50 flex w-80 flex-col gap-2">
        {toasts.map((toast) => (
          <div
            key={toast.id}
            role={toast.tone === "danger" ? "alert" : "status"}
            className={cn("pointer-events-auto flex gap-3 rounded-lg border bg-white px-4 py-3 text-sm shadow-lg", TONES[toast.tone])}
          >
            <span aria-hidden="true" className={cn("mt-1.5 size-2 shrink-0 rounded-full", DOTS[toast.tone])} />
            <div className="min-w-0 flex-1">
              <p className="font-medium text-gray-900">{toast.title}</p>
              {toast.description ? <p className="mt-0.5 text-gray-600">{toast.description}</p> : null}
            </div>
            <button
              type="button"
              onClick={() => dismiss(toast.id)}
              className="-m-1 h-fit rounded p-1 text-gray-500 hover:text-gray-700 focus-visible:outline-2 focus-visible:outline-brand-600"
            >
              <span className="sr-only">Dismiss</span>
              <svg viewBox="0 0 20 20" fill="currentColor" className="size-4" aria-hidden="true">
                <path d="M6.28 5.22a.75.75 0 0 0-1.06 1.06L8.94 10l-3.72 3.72a.75.75 0 1 0 1.06 1.06L10 11.06l3.72 3.72a.75.75 0 1 0 1.06-1.06L11.06 10l3.72-3.72a.75.75 0 0 0-1.06-1.06L10 8.94 6.28 5.22Z" />
              </svg>
            </button>
          </div>
        ))}
      </div>
    </ToastContext.Provider>
  );
}
