"use client";

import { SectionError } from "@/components/ui/section-error";

export default function PricesError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return <SectionError title="Prices" error={error} reset={reset} />;
}
