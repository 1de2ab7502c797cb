import Link from "next/link";
import { cn } from "@/lib/cn";
import { buttonClasses } from "./button";

export interface PaginationProps {
  page: number;
  totalPages: number;
  total: number;
  /** The link of a page (keeps the other search parameters). */
  hrefFor: (page: number) => string;
  /** What is counted ("files", "entries"). */
  noun?: string;
  className?: string;
}

/** "Page 2 of 5 · 93 files" with Previous / Next links; nothing when everything fits on one page. */
export function Pagination({ page, totalPages, total, hrefFor, noun = "items", className }: PaginationProps) {
  if (totalPages <= 1) return null;
  const previous = page > 1 ? Math.min(page - 1, totalPages) : null;
  const next = page < totalPages ? page + 1 : null;
  const disabled = "pointer-events-none opacity-50";
  return (
    <nav aria-label="Pagination" className={cn("mt-4 flex items-center justify-between gap-4", className)}>
      <p className="text-sm text-gray-600 tabular-nums">
        Page {Math.min(page, totalPages)} of {totalPages} · {total} {noun}
      </p>
      <div className="flex gap-2">
        {previous !== null ? (
          <Link href={hrefFor(previous)} className={buttonClasses({ variant: "secondary", size: "sm" })} rel="prev">
            Previous
          </Link>
        ) : (
          <span aria-disabled="true" className={buttonClasses({ variant: "secondary", size: "sm", className: disabled })}>
            Previous
          </span>
        )}
        {next !== null ? (
          <Link href={hrefFor(next)} className={buttonClasses({ variant: "secondary", size: "sm" })} rel="next">
            Next
          </Link>
        ) : (
          <span aria-disabled="true" className={buttonClasses({ variant: "secondary", size: "sm", className: disabled })}>
            Next
          </span>
        )}
      </div>
    </nav>
  );
}

/** A `?page=` search parameter as a page number (1 for anything that is not a positive integer). */
export function pageFromSearchParam(value: string | string[] | undefined): number {
  const text = Array.isArray(value) ? value[0] : value;
  if (text === undefined || !/^\d{1,6}$/.test(text)) return 1;
  const page = Number(text);
  return page >= 1 ? page : 1;
}
