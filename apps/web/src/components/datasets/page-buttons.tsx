import { Button } from "@/components/ui/button";

/** Previous / next over pages held in state (the grid and items refresh in place, so no links). */
export function PageButtons({
  label,
  page,
  totalPages,
  total,
  onPage,
}: {
  label: string;
  page: number;
  totalPages: number;
  total?: string;
  onPage: (page: number) => void;
}) {
  if (totalPages <= 1) return null;
  return (
    <nav aria-label={label} className="mt-3 flex items-center gap-2 text-sm">
      <Button variant="secondary" size="sm" disabled={page <= 1} onClick={() => onPage(page - 1)}>
        Previous
      </Button>
      <span>
        Page {page} of {totalPages}
        {total ? ` (${total})` : ""}
      </span>
      <Button variant="secondary" size="sm" disabled={page >= totalPages} onClick={() => onPage(page + 1)}>
        Next
      </Button>
    </nav>
  );
}
