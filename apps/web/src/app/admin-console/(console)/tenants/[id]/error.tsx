"use client";

import { SectionError } from "@/components/ui/section-error";

export default function TenantError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return <SectionError title="Tenant" error={error} reset={reset} />;
}
