"use client";

import { SectionError } from "@/components/ui/section-error";

export default function DeploymentsError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return <SectionError title="Deployments" error={error} reset={reset} />;
}
