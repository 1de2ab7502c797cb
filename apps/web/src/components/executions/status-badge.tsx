import { Badge, type BadgeTone } from "@/components/ui/badge";
import { cn } from "@/lib/cn";
import type { ExecutionStatus } from "./format";

const TONES: Record<ExecutionStatus, BadgeTone> = { pending: "neutral", running: "brand", completed: "success", failed: "danger", cancelled: "neutral" };
const DOTS: Record<ExecutionStatus, string> = {
  pending: "bg-gray-400",
  running: "bg-brand-500 animate-pulse",
  completed: "bg-green-500",
  failed: "bg-red-500",
  cancelled: "bg-gray-300",
};

/** pending (grey), running (indigo, pulsing), completed (green), failed (red). */
export function StatusBadge({ status, className }: { status: ExecutionStatus; className?: string }) {
  return (
    <Badge tone={TONES[status]} className={cn("gap-1.5", className)}>
      <span aria-hidden="true" className={cn("size-1.5 rounded-full", DOTS[status])} />
      {status}
    </Badge>
  );
}
