import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";

/** "Draft restored · Discard": tells the user the form shows what they typed before the reload. */
export function DraftRestored({ onDiscard }: { onDiscard: () => void }) {
  return (
    <Alert
      tone="info"
      title="Draft restored"
      action={
        <Button variant="ghost" size="sm" onClick={onDiscard}>
          Discard
        </Button>
      }
    >
      What you typed before the page was reloaded is back; it is not saved yet.
    </Alert>
  );
}
