import { cn } from "@/lib/cn";

/** The Sigil mark and name. */
export function Logo({ className, label = "Sigil" }: { className?: string; label?: string }) {
  return (
    <span className={cn("inline-flex items-center gap-2 font-semibold text-gray-900", className)}>
      <svg viewBox="0 0 24 24" className="size-6" aria-hidden="true">
        <rect width="24" height="24" rx="6" className="fill-brand-600" />
        <path
          d="M15.5 8.5c-.8-1-2-1.5-3.5-1.5-2 0-3.5 1-3.5 2.6 0 3.4 7 1.8 7 5.2 0 1.6-1.5 2.7-3.6 2.7-1.5 0-2.8-.6-3.6-1.6"
          fill="none"
          stroke="white"
          strokeWidth="1.8"
          strokeLinecap="round"
        />
      </svg>
      <span>{label}</span>
    </span>
  );
}
