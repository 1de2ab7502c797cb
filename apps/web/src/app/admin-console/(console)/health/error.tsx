"use client";

import { SectionError } from "@/components/ui/section-error";

export default function HealthError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return <SectionError title="Health" error={error} reset={reset} />;
}
