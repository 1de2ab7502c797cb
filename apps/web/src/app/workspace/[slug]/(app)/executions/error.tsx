"use client";

import { SectionError } from "@/components/ui/section-error";

/** A page of the executions section that could not load: the server's message and "Try again". */
export default function ExecutionsError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return <SectionError title="Executions" error={error} reset={reset} />;
}
