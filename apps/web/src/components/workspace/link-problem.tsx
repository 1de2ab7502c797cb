import Link from "next/link";
import type { ReactNode } from "react";
import { Alert } from "@/components/ui/alert";

/** A link (invitation, password reset) that cannot be used: why, and the way to sign in instead. */
export function LinkProblem({ title, message, signInHref, extra }: { title: string; message: string; signInHref: string; extra?: ReactNode }) {
  return (
    <div className="space-y-4">
      <Alert tone="warning" title={title}>
        {message}
      </Alert>
      {extra}
      <p className="text-center text-sm">
        <Link href={signInHref} className="font-medium text-brand-700 hover:underline">
          Go to sign-in
        </Link>
      </p>
    </div>
  );
}
