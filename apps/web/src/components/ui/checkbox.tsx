import { useId, type ComponentProps, type ReactNode } from "react";
import { cn } from "@/lib/cn";

/**
 * A native checkbox with its label (and an optional description) beside it. Group several in a
 * `<fieldset>` with a `<legend>` (see `CheckboxGroup`).
 */
export function Checkbox({
  label,
  description,
  className,
  id,
  ...props
}: Omit<ComponentProps<"input">, "type"> & { label: ReactNode; description?: ReactNode }) {
  const generated = useId();
  const inputId = id ?? generated;
  const descriptionId = description ? `${inputId}-description` : undefined;
  return (
    <div className={cn("flex items-start gap-2.5", className)}>
      <input
        id={inputId}
        type="checkbox"
        aria-describedby={descriptionId}
        className="mt-0.5 size-4 shrink-0 rounded border-gray-300 accent-brand-600 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-600 disabled:cursor-not-allowed"
        {...props}
      />
      <div className="min-w-0 text-sm leading-5">
        <label htmlFor={inputId} className="font-medium text-gray-800">
          {label}
        </label>
        {description ? (
          <p id={descriptionId} className="text-gray-500">
            {description}
          </p>
        ) : null}
      </div>
    </div>
  );
}

/** A labelled group of checkboxes with one error text, wired for screen readers. */
export function CheckboxGroup({
  legend,
  error,
  hint,
  children,
  className,
}: {
  legend: ReactNode;
  error?: string | null;
  hint?: ReactNode;
  children: ReactNode;
  className?: string;
}) {
  const id = useId();
  const describedBy = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(" ") || undefined;
  return (
    <fieldset aria-describedby={describedBy} aria-invalid={error ? true : undefined} className={cn("space-y-2", className)}>
      <legend className="mb-1.5 block text-sm font-medium text-gray-800">{legend}</legend>
      {hint ? (
        <p id={`${id}-hint`} className="-mt-1 text-xs text-gray-500">
          {hint}
        </p>
      ) : null}
      <div className="space-y-2">{children}</div>
      {error ? (
        <p id={`${id}-error`} className="text-xs font-medium text-red-600">
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}
