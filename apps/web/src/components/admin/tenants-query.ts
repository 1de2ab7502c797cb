import { listTenantsInput, type ListTenantsInput } from "@sigil/validators";

/** The admin tenants page's state lives in its URL (`?q=&status=&plan=&sort=&dir=&page=`), so a view can be shared and reloaded. */
export const TENANTS_PAGE_SIZE = 25;

type SearchParams = Record<string, string | string[] | undefined>;

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function positiveInteger(value: string | undefined): number | undefined {
  return value !== undefined && /^\d{1,6}$/.test(value) && Number(value) >= 1 ? Number(value) : undefined;
}

/** The list input a URL asks for; a parameter that is not valid is left out (its default applies), never an error page. */
export function tenantsQueryFromSearchParams(params: SearchParams): ListTenantsInput {
  const wanted = {
    page: positiveInteger(first(params.page)),
    pageSize: TENANTS_PAGE_SIZE,
    search: first(params.q)?.trim() || undefined,
    status: first(params.status),
    plan: first(params.plan),
    sort: first(params.sort),
    direction: first(params.dir),
  };
  const parsed = listTenantsInput.safeParse(wanted);
  if (parsed.success) return parsed.data;
  // Drop what the validator refused, keep the rest.
  const refused = new Set(parsed.error.issues.map((issue) => String(issue.path[0])));
  const kept = Object.fromEntries(Object.entries(wanted).filter(([key]) => !refused.has(key)));
  return listTenantsInput.parse(kept);
}

/** The URL of a view of the tenants page; defaults are left out so URLs stay short. */
export function tenantsHref(query: ListTenantsInput): string {
  const params = new URLSearchParams();
  if (query.search) params.set("q", query.search);
  if (query.status) params.set("status", query.status);
  if (query.plan) params.set("plan", query.plan);
  if (query.sort !== "name") params.set("sort", query.sort);
  if (query.direction !== "asc") params.set("dir", query.direction);
  if (query.page > 1) params.set("page", String(query.page));
  const text = params.toString();
  return text === "" ? "/tenants" : `/tenants?${text}`;
}
