"use client";

import type { ProviderOptionsKind } from "@sigil/validators";
import { useState, type ReactNode } from "react";
import type { JsonObjectResult } from "@/components/deployments/json";
import { Field } from "@/components/ui/field";
import { Textarea } from "@/components/ui/input";
import { optionsHint, parseProviderOptions } from "./provider-options";

/**
 * The Options field of a provider run (a JSON object under the provider's own names), with a hint
 * naming what the chosen provider takes. The built-in template provider takes none: no field.
 */
export function ProviderOptionsField({
  kind,
  value,
  onChange,
  error,
  label = "Options",
  note,
  name = "options",
  className,
}: {
  kind: ProviderOptionsKind | undefined;
  value: string;
  onChange: (value: string) => void;
  error?: string | undefined;
  label?: ReactNode;
  /** A sentence after the hint (e.g. what the typed options override). */
  note?: ReactNode;
  name?: string;
  className?: string;
}) {
  if (kind === "template") return null;
  return (
    <Field
      label={label}
      optional
      error={error}
      className={className}
      hint={
        note ? (
          <>
            {optionsHint(kind)} {note}
          </>
        ) : (
          optionsHint(kind)
        )
      }
    >
      {(props) => (
        <Textarea
          {...props}
          name={name}
          rows={3}
          spellCheck={false}
          placeholder='{"temperature": 0.2}'
          value={value}
          onChange={(event) => onChange(event.target.value)}
          className="font-mono text-xs"
        />
      )}
    </Field>
  );
}

/**
 * A run form's options, checked as typed (parseProviderOptions): `error` is shown once a submit
 * was refused (`reveal`), and from then on follows the text, so it goes away once corrected.
 */
export function useOptionsCheck(
  text: string,
  kind: ProviderOptionsKind | undefined,
  base?: Readonly<Record<string, unknown>>,
): { result: JsonObjectResult; error: string | undefined; reveal: () => void } {
  const [revealed, setRevealed] = useState(false);
  const result = parseProviderOptions(text, kind, base);
  return { result, error: revealed && !result.ok ? result.message : undefined, reveal: () => setRevealed(true) };
}
