"use client";

import { SectionError } from "@/components/ui/section-error";

export default function MigrationsError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return <SectionError title="Migrations" error={error} reset={reset} />;
}
