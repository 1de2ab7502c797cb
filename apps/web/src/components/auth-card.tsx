import type { ReactNode } from "react";
import { Logo } from "@/components/logo";

/** The centred frame of sign-in and invitation pages. */
export function AuthCard({ title, subtitle, children, footer }: { title: string; subtitle?: ReactNode; children: ReactNode; footer?: ReactNode }) {
  return (
    <main className="flex min-h-dvh flex-col items-center justify-center px-6 py-16">
      <div className="w-full max-w-sm">
        <Logo className="mb-8" />
        <h1 className="text-xl font-semibold tracking-tight text-gray-900">{title}</h1>
        {subtitle ? <p className="mt-1.5 text-sm text-gray-600">{subtitle}</p> : null}
        <div className="mt-6 rounded-lg border border-gray-200 bg-white p-6 shadow-xs">{children}</div>
        {footer ? <div className="mt-6 text-center text-sm text-gray-600">{footer}</div> : null}
      </div>
    </main>
  );
}
