import { listTenantsInput, type ListTenantsInput } from "@sigil/validators";
import { firstParam, parseKeepingValid, positiveIntegerParam, type SearchParams } from "@/lib/url-query";

/** The admin tenants page's state lives in its URL (`?q=&status=&plan=&sort=&dir=&page=`), so a view can be shared and reloaded. */
export const TENANTS_PAGE_SIZE = 25;

/** The list input a URL asks for; a parameter that is not valid is left out (its default applies), never an error page. */
export function tenantsQueryFromSearchParams(params: SearchParams): ListTenantsInput {
  const wanted = {
    page: positiveIntegerParam(firstParam(params.page)),
    pageSize: TENANTS_PAGE_SIZE,
    search: firstParam(params.q)?.trim() || undefined,
    status: firstParam(params.status),
    plan: firstParam(params.plan),
    sort: firstParam(params.sort),
    direction: firstParam(params.dir),
  };
  return parseKeepingValid(listTenantsInput, wanted);
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
