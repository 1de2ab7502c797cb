import { cn } from "@/lib/cn";

/**
 * A determinate bar (upload progress, storage used vs quota). Turns amber from 80 % and red
 * from 100 % unless `tone` is fixed. `label` names it for screen readers and is shown above.
 * Any value above 0 shows at least a sliver (46 B of a 4 MB quota is not nothing).
 */
export function ProgressBar({
  value,
  max = 100,
  label,
  valueText,
  tone,
  className,
}: {
  value: number;
  max?: number;
  label: string;
  valueText?: string;
  tone?: "brand" | "warning" | "danger";
  className?: string;
}) {
  const ratio = max > 0 ? Math.min(Math.max(value / max, 0), 1) : 0;
  const effective = tone ?? (value >= max ? "danger" : ratio >= 0.8 ? "warning" : "brand");
  const color = { brand: "bg-brand-600", warning: "bg-amber-500", danger: "bg-red-600" }[effective];
  return (
    <div className={cn("space-y-1.5", className)}>
      <div className="flex justify-between text-sm">
        <span className="font-medium text-gray-800">{label}</span>
        <span className="text-gray-600 tabular-nums">{valueText ?? `${Math.round(ratio * 100)} %`}</span>
      </div>
      <div
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={max}
        aria-valuenow={Math.min(value, max)}
        aria-valuetext={valueText}
        className="h-2 w-full overflow-hidden rounded-full bg-gray-200"
      >
        <div className={cn("h-full rounded-full transition-[width]", color)} style={{ width: value > 0 ? `max(${ratio * 100}%, 0.375rem)` : "0%" }} />
      </div>
    </div>
  );
}
