"use client";

import type { ReactNode } from "react";
import { Alert } from "@/components/ui/alert";
import { CopyButton } from "@/components/ui/copy-button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";

/** A link Sigil keeps only a hash of (invitation, password reset): copy it now, it is never shown again. */
export function OneTimeLink({ label, link, hint, lostAdvice }: { label: string; link: string; hint: ReactNode; lostAdvice: string }) {
  return (
    <>
      <Field label={label} hint={hint}>
        {(props) => (
          <div className="flex gap-2">
            <Input {...props} readOnly value={link} onFocus={(event) => event.target.select()} className="font-mono text-xs" />
            <CopyButton value={link} srLabel={`Copy the ${label.toLowerCase()}`} />
          </div>
        )}
      </Field>
      <Alert tone="warning" title="Shown only once">
        Sigil stores only a hash of this link. Copy it now; {lostAdvice}
      </Alert>
    </>
  );
}

/** The workspace's own base URL (its host, or the /tenant/<slug> prefix) + `path`. */
export function absoluteLink(workspacePath: string): string {
  return `${window.location.origin}${workspacePath}`;
}
