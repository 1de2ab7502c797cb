"use client";

import { SectionError } from "@/components/ui/section-error";

/** A page of the prompts section that could not load: the server's message and "Try again". */
export default function PromptsError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return <SectionError title="Prompts" error={error} reset={reset} />;
}
