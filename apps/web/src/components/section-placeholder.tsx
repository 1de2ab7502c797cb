import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";

/** A section whose contents are being built: its heading and an empty state. */
export function SectionPlaceholder({ title, description }: { title: string; description: string }) {
  return (
    <>
      <PageHeader title={title} description={description} />
      <EmptyState title={`${title} — this section is being built`} description="It will appear here soon." />
    </>
  );
}
