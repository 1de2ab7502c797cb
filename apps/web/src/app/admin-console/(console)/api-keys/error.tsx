"use client";

import { SectionError } from "@/components/ui/section-error";

export default function ApiKeysError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return <SectionError title="API keys" error={error} reset={reset} />;
}
