"use client";

import { useQueryErrorResetBoundary } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { startTransition } from "react";
import { errorMessage } from "@/lib/trpc-errors";
import { Alert } from "./alert";
import { Button } from "./button";
import { PageHeader } from "./page-header";

/**
 * The body of a section's `error.tsx`: the page's heading, the server's message (a query the
 * browser made) or a generic sentence (a server render, whose message Next hides), and "Try again",
 * which clears the failed queries and re-renders the section.
 */
export function SectionError({ title, error, reset }: { title: string; error: Error & { digest?: string }; reset: () => void }) {
  const router = useRouter();
  const queries = useQueryErrorResetBoundary();
  const message = error.digest ? "This page could not be loaded. Try again; if it keeps happening, tell your administrator." : errorMessage(error);
  return (
    <>
      <PageHeader title={title} />
      <Alert
        tone="danger"
        title="Could not load this page"
        action={
          <Button
            variant="secondary"
            size="sm"
            onClick={() => {
              queries.reset();
              startTransition(() => {
                router.refresh();
                reset();
              });
            }}
          >
            Try again
          </Button>
        }
      >
        {message}
        {error.digest ? <span className="block text-xs opacity-80">Reference {error.digest}</span> : null}
      </Alert>
    </>
  );
}
