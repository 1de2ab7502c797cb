"use client";

import { SectionError } from "@/components/ui/section-error";

export default function AuditError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return <SectionError title="Audit log" error={error} reset={reset} />;
}
