import { Skeleton } from "@/components/ui/spinner";

/** What a section shows while its server component loads (route `loading.tsx`). */
export function PageSkeleton() {
  return (
    <div role="status" aria-label="Loading">
      <div className="mb-6 space-y-2 border-b border-gray-200 pb-5">
        <Skeleton className="h-6 w-40" />
        <Skeleton className="h-4 w-80" />
      </div>
      <div className="space-y-3">
        <Skeleton className="h-10 w-full" />
        <Skeleton className="h-10 w-full" />
        <Skeleton className="h-10 w-2/3" />
      </div>
    </div>
  );
}
