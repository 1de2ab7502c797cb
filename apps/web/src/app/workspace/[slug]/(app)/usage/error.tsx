"use client";

import { SectionError } from "@/components/ui/section-error";

export default function UsageError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return <SectionError title="Usage" error={error} reset={reset} />;
}
