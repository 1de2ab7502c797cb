"use client";

import { SectionError } from "@/components/ui/section-error";

export default function UsersError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return <SectionError title="Users" error={error} reset={reset} />;
}
