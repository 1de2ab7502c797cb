import type { ReactNode } from "react";
import { cn } from "@/lib/cn";

/** What a list shows when it has nothing yet, with the action that fills it. */
export function EmptyState({
  title,
  description,
  action,
  icon,
  className,
}: {
  title: string;
  description?: ReactNode;
  action?: ReactNode;
  icon?: ReactNode;
  className?: string;
}) {
  return (
    <div className={cn("flex flex-col items-center rounded-lg border border-dashed border-gray-300 bg-white px-6 py-12 text-center", className)}>
      <div aria-hidden="true" className="mb-3 flex size-10 items-center justify-center rounded-full bg-gray-100 text-gray-500">
        {icon ?? (
          <svg viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="1.75" className="size-5">
            <path d="M3 7.5 12 3l9 4.5v9L12 21l-9-4.5v-9Z" strokeLinejoin="round" />
            <path d="m3 7.5 9 4.5 9-4.5M12 12v9" strokeLinejoin="round" />
          </svg>
        )}
      </div>
      <h3 className="text-sm font-semibold text-gray-900">{title}</h3>
      {description ? <p className="mt-1 max-w-md text-sm text-gray-600">{description}</p> : null}
      {action ? <div className="mt-5">{action}</div> : null}
    </div>
  );
}
