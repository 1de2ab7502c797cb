import type { TRPC_ERROR_CODE_KEY } from "@trpc/server/rpc";
import { TRPC_ERROR_CODES_BY_KEY } from "@trpc/server/rpc";
import superjson from "superjson";

/** The procedures a tRPC URL names: `/api/trpc/a.b,c.d` → ["a.b", "c.d"] (empty for other paths). */
export function trpcProcedures(pathname: string): string[] {
  const match = /^(?:\/tenant\/[^/]+)?\/api\/trpc\/([^/]*)$/.exec(pathname);
  if (!match?.[1]) return [];
  let names: string;
  try {
    names = decodeURIComponent(match[1]);
  } catch {
    return [];
  }
  return names.split(",").filter((name) => name !== "");
}

/**
 * An error answer in tRPC's own shape (superjson-wrapped, one entry per procedure for a batch),
 * for refusals made before tRPC runs: clients show `message` as they show any tRPC error.
 */
export function trpcErrorBody(url: URL, code: TRPC_ERROR_CODE_KEY, httpStatus: number, message: string): string {
  const procedures = trpcProcedures(url.pathname);
  const entry = (path: string | undefined) =>
    superjson.serialize({
      message,
      code: TRPC_ERROR_CODES_BY_KEY[code],
      data: { code, httpStatus, path, zodError: null, quota: null, tenantStatus: null },
    });
  if (url.searchParams.get("batch") === "1") {
    return JSON.stringify((procedures.length > 0 ? procedures : [undefined]).map((path) => ({ error: entry(path) })));
  }
  return JSON.stringify({ error: entry(procedures[0]) });
}
