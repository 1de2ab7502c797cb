import { Badge, type BadgeTone } from "@/components/ui/badge";

const TONES: Record<"running" | "completed" | "cancelled", BadgeTone> = { running: "brand", completed: "success", cancelled: "neutral" };

export function RunStatusBadge({ status }: { status: "running" | "completed" | "cancelled" }) {
  return <Badge tone={TONES[status]}>{status}</Badge>;
}
