"use client";

import { SectionError } from "@/components/ui/section-error";

export default function TenantsError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return <SectionError title="Tenants" error={error} reset={reset} />;
}
