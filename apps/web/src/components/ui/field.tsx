import { useId, type ReactNode } from "react";
import { cn } from "@/lib/cn";
import { Label } from "./input";

/** The props a Field hands to its control, so label, hint and error are wired for screen readers. */
export interface FieldControlProps {
  id: string;
  "aria-invalid": true | undefined;
  "aria-describedby": string | undefined;
}

export interface FieldProps {
  label: ReactNode;
  /** The control, given the ids: `{(props) => <Input name="email" {...props} />}`. */
  children: (props: FieldControlProps) => ReactNode;
  /** Error text (e.g. a zod field error from `error.data.zodError.fieldErrors.name`). */
  error?: string | null;
  hint?: ReactNode;
  /** Marks the label with "(optional)". */
  optional?: boolean;
  className?: string;
  id?: string;
}

/** Label + control + hint + error text. */
export function Field({ label, children, error, hint, optional, className, id }: FieldProps) {
  const generated = useId();
  const controlId = id ?? generated;
  const hintId = hint ? `${controlId}-hint` : undefined;
  const errorId = error ? `${controlId}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(" ") || undefined;
  return (
    <div className={cn("space-y-1.5", className)}>
      <Label htmlFor={controlId}>
        {label}
        {optional ? <span className="ml-1 font-normal text-gray-500">(optional)</span> : null}
      </Label>
      {children({ id: controlId, "aria-invalid": error ? true : undefined, "aria-describedby": describedBy })}
      {hint ? (
        <p id={hintId} className="text-xs text-gray-500">
          {hint}
        </p>
      ) : null}
      {error ? (
        <p id={errorId} className="text-xs font-medium text-red-600">
          {error}
        </p>
      ) : null}
    </div>
  );
}
