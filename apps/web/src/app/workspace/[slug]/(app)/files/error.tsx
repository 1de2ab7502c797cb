"use client";

import { SectionError } from "@/components/ui/section-error";

export default function FilesError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return <SectionError title="Files" error={error} reset={reset} />;
}
