import type { ComponentProps } from "react";
import { cn } from "@/lib/cn";

/** Shared look of text-like controls; `aria-invalid` turns the border red. */
export const controlClasses =
  "block w-full rounded-md border border-gray-300 bg-white px-3 text-sm text-gray-900 shadow-xs placeholder:text-gray-400 " +
  "focus:border-brand-600 focus:outline-2 focus:-outline-offset-1 focus:outline-brand-600 " +
  "disabled:cursor-not-allowed disabled:bg-gray-50 disabled:text-gray-500 " +
  "aria-invalid:border-red-500 aria-invalid:focus:outline-red-500";

export function Input({ className, ...props }: ComponentProps<"input">) {
  return <input className={cn(controlClasses, "h-10", className)} {...props} />;
}

export function Textarea({ className, rows = 4, ...props }: ComponentProps<"textarea">) {
  return <textarea rows={rows} className={cn(controlClasses, "py-2 leading-6", className)} {...props} />;
}

/** A native select (keyboard and screen readers work as everywhere else). */
export function Select({ className, children, ...props }: ComponentProps<"select">) {
  return (
    <select className={cn(controlClasses, "h-10 pr-8", className)} {...props}>
      {children}
    </select>
  );
}

export function Label({ className, ...props }: ComponentProps<"label">) {
  return <label className={cn("block text-sm font-medium text-gray-800", className)} {...props} />;
}
