"use client";

import { SectionError } from "@/components/ui/section-error";

/** The overview (and any admin page without an error boundary of its own). */
export default function AdminConsoleError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return <SectionError title="Admin console" error={error} reset={reset} />;
}
