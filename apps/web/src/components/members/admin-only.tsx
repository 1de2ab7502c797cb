import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";

/**
 * What a member or viewer sees on an admin section reached by URL (the sidebar hides these): the
 * page's heading and why there is nothing. The API refuses these reads to them anyway.
 */
export function AdminOnly({ title, description }: { title: string; description: string }) {
  return (
    <>
      <PageHeader title={title} description={description} />
      <EmptyState
        title="Only admins can see this page"
        description="Ask an admin of this workspace if you need access."
        icon={
          <svg viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="1.75" strokeLinecap="round" strokeLinejoin="round" className="size-5">
            <rect x="4" y="11" width="16" height="10" rx="2" />
            <path d="M8 11V7a4 4 0 1 1 8 0v4" />
          </svg>
        }
      />
    </>
  );
}
