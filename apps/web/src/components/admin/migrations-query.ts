import { migrationStatusInput, type MigrationStatusInput } from "@sigil/validators";
import { firstParam, parseKeepingValid, positiveIntegerParam, type SearchParams } from "@/lib/url-query";

/**
 * The Migrations page's per-tenant table keeps its view in the URL (`?state=&page=&size=`), like
 * the tenants page (tenants-query.ts). `size` exists so a long list can be paged in small steps.
 */
export const MIGRATIONS_PAGE_SIZE = 50;

/** The status input a URL asks for; a parameter that is not valid is left out (its default applies), never an error page. */
export function migrationsQueryFromSearchParams(params: SearchParams): MigrationStatusInput {
  const wanted = {
    page: positiveIntegerParam(firstParam(params.page)) ?? 1,
    pageSize: positiveIntegerParam(firstParam(params.size)) ?? MIGRATIONS_PAGE_SIZE,
    state: firstParam(params.state),
  };
  // The page's own defaults, not the validator's (whose page size is larger).
  return parseKeepingValid(migrationStatusInput, wanted, { page: 1, pageSize: MIGRATIONS_PAGE_SIZE });
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
