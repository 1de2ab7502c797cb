"use client";

import { Logo } from "@/components/logo";
import { Button } from "@/components/ui/button";

/**
 * An unexpected error while rendering a page. Next replaces server messages by a digest in
 * production, so nothing internal can show here; the digest is what the server log names.
 */
export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <main className="flex min-h-dvh flex-col items-center justify-center px-6 py-16">
      <div className="w-full max-w-md text-center">
        <div className="mb-10 flex justify-center">
          <Logo />
        </div>
        <h1 className="text-2xl font-semibold tracking-tight text-gray-900">Something went wrong</h1>
        <p className="mt-3 text-sm leading-6 text-gray-600">
          This page could not be shown. Try again; if it keeps happening, tell your administrator
          {error.digest ? (
            <>
              {" "}
              the reference <code className="rounded bg-gray-100 px-1 py-0.5 font-mono text-xs text-gray-800">{error.digest}</code>
            </>
          ) : null}
          .
        </p>
        <div className="mt-8">
          <Button variant="secondary" onClick={reset}>
            Try again
          </Button>
        </div>
      </div>
    </main>
  );
}
