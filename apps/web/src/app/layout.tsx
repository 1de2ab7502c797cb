import type { Metadata } from "next";
import type { ReactNode } from "react";
import { ToastProvider } from "@/components/ui/toast";
import { UnsavedChangesProvider } from "@/components/unsaved-changes/provider";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Sigil", template: "%s · Sigil" },
  description: "Prompts with versions, executions, files and deployments for every workspace.",
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-dvh">
        <ToastProvider>
          <UnsavedChangesProvider>{children}</UnsavedChangesProvider>
        </ToastProvider>
      </body>
    </html>
  );
}
