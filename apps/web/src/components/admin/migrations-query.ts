import { migrationStatusInput, type MigrationStatusInput } from "@sigil/validators";

/**
 * The Migrations page's per-tenant table keeps its view in the URL (`?state=&page=&size=`), like
 * the tenants page (tenants-query.ts). `size` exists so a long list can be paged in small steps.
 */
export const MIGRATIONS_PAGE_SIZE = 50;

type SearchParams = Record<string, string | string[] | undefined>;

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function positiveInteger(value: string | undefined): number | undefined {
  return value !== undefined && /^\d{1,6}$/.test(value) && Number(value) >= 1 ? Number(value) : undefined;
}

/** The status input a URL asks for; a parameter that is not valid is left out (its default applies), never an error page. */
export function migrationsQueryFromSearchParams(params: SearchParams): MigrationStatusInput {
  const wanted = {
    page: positiveInteger(first(params.page)) ?? 1,
    pageSize: positiveInteger(first(params.size)) ?? MIGRATIONS_PAGE_SIZE,
    state: first(params.state),
  };
  const parsed = migrationStatusInput.safeParse(wanted);
  if (parsed.success) return parsed.data;
  const refused = new Set(parsed.error.issues.map((issue) => String(issue.path[0])));
  const kept = Object.fromEntries(Object.entries(wanted).filter(([key]) => !refused.has(key)));
  // The page's own defaults, not the validator's (whose page size is larger).
  return migrationStatusInput.parse({ page: 1, pageSize: MIGRATIONS_PAGE_SIZE, ...kept });
}

/** The URL of a view of the table; defaults are left out so URLs stay short. */
export function migrationsHref(query: MigrationStatusInput): string {
  const params = new URLSearchParams();
  if (query.state) params.set("state", query.state);
  if (query.pageSize !== MIGRATIONS_PAGE_SIZE) params.set("size", String(query.pageSize));
  if (query.page > 1) params.set("page", String(query.page));
  const text = params.toString();
  return text === "" ? "/migrations" : `/migrations?${text}`;
}
