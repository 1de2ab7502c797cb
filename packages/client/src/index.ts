/**
 * @sigil/client: the typed tRPC client of Sigil for other workspaces and programs (CLI, tests,
 * benchmarks, scripts). Types only come from the server (`import type { AppRouter }`); nothing of
 * the server runs here.
 */
import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from "node:dns";
import type { AppRouter } from "@sigil/api";
import { createTRPCClient, httpBatchLink, httpLink, splitLink, TRPCClientError, type TRPCClient } from "@trpc/client";
import type { inferRouterInputs, inferRouterOutputs } from "@trpc/server";
import superjson from "superjson";
import { Agent, fetch as undiciFetch } from "undici";

export type { AppRouter };
export { TRPCClientError };
export type SigilClient = TRPCClient<AppRouter>;
/** Input and output types of every procedure, e.g. `RouterOutputs["tenants"]["list"]`. */
export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;

export interface SigilClientOptions {
  /**
   * Where Sigil answers, without `/api/trpc`: a tenant's host (`http://acme.localhost:3000`),
   * the installation's root or an IP address with `tenant` (`http://127.0.0.1:3000`), a path
   * prefix (`http://127.0.0.1:3000/tenant/acme`), or the admin host (`http://admin.localhost:3000`).
   */
  url: string;
  /** Sent as `x-tenant-id` (a slug or the tenant's id); needed when the URL names no tenant. */
  tenant?: string;
  /** A tenant API key (`sgl_…`) or a system-administrator key (`sgla_…`), sent as a Bearer token. */
  apiKey?: string;
  /**
   * A `Cookie` header value, e.g. `sigil_session=…` as returned by `signIn`. Requests then also
   * send `Origin: <url's origin>`, since the server refuses cookie-authenticated mutations from
   * another origin (or without one).
   */
  cookie?: string;
  /**
   * Talk to the admin host: `url` is the installation's root (`http://localhost:3000`) and the
   * client calls `admin.<host>` (`http://admin.localhost:3000`). A URL already on `admin.` is kept.
   */
  admin?: boolean;
  /** More headers for every request. */
  headers?: Record<string, string>;
}

/** RFC 6761: `localhost` and every name under it are loopback. */
export function isLocalhostName(hostname: string): boolean {
  const name = hostname.toLowerCase().replace(/\.$/, "");
  return name === "localhost" || name.endsWith(".localhost");
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `net` lookup that answers 127.0.0.1 for `localhost` and `*.localhost` and asks DNS for
 * everything else. Node does not resolve `*.localhost` by itself (nodejs/node#50871), and a
 * `Host` header set on a fetch is replaced, so connecting to the right address is the way to
 * reach `acme.localhost:3000` with the right Host.
 */
export function localhostLookup(hostname: string, options: LookupOptions, callback: LookupCallback): void {
  if (isLocalhostName(hostname)) {
    if (options.all) callback(null, [{ address: "127.0.0.1", family: 4 }]);
    else callback(null, "127.0.0.1", 4);
    return;
  }
  if (options.all) dnsLookup(hostname, { ...options, all: true }, (error, addresses) => callback(error, addresses));
  else dnsLookup(hostname, { ...options, all: false }, (error, address, family) => callback(error, address, family));
}

let agent: Agent | undefined;
/** One connection pool for every client of the process, resolving `*.localhost` to 127.0.0.1. */
function localhostAgent(): Agent {
  agent ??= new Agent({ connect: { lookup: localhostLookup } });
  return agent;
}

/** undici's fetch through the localhost-resolving agent; usable wherever a fetch is expected. */
export function sigilFetch(
  input: string | URL,
  init?: {
    method?: string;
    headers?: Record<string, string> | [string, string][];
    body?: string | Uint8Array<ArrayBuffer> | null;
    signal?: AbortSignal | null;
  },
): ReturnType<typeof undiciFetch> {
  return undiciFetch(input, { ...init, dispatcher: localhostAgent() });
}

/** Closes the shared connection pool (idle keep-alive sockets); clients made later open a new one. */
export async function closeSigilConnections(): Promise<void> {
  const current = agent;
  agent = undefined;
  await current?.close();
}

/** The base URL the client calls, without a trailing slash (see SigilClientOptions.admin). */
export function resolveBaseUrl(options: Pick<SigilClientOptions, "url" | "admin" | "tenant">): URL {
  let base: URL;
  try {
    base = new URL(options.url);
  } catch {
    throw new Error(`createSigilClient: ${JSON.stringify(options.url)} is not a URL (e.g. http://acme.localhost:3000).`);
  }
  if (base.protocol !== "http:" && base.protocol !== "https:") throw new Error(`createSigilClient: use an http(s) URL, not ${base.protocol}`);
  base.search = "";
  base.hash = "";
  base.pathname = base.pathname.replace(/\/+$/, "");
  if (options.admin) {
    if (options.tenant !== undefined) throw new Error("createSigilClient: `admin` and `tenant` exclude each other: the admin host serves no tenant.");
    if (!base.hostname.startsWith("admin.")) {
      if (/^[\d.]+$/.test(base.hostname) || base.hostname.startsWith("[")) {
        throw new Error(`createSigilClient: the admin host needs a host name, not ${base.hostname}; use e.g. http://admin.localhost:${base.port || "3000"}.`);
      }
      base.hostname = `admin.${base.hostname}`;
    }
  }
  return base;
}

function headersFor(options: SigilClientOptions, base: URL): Record<string, string> {
  if (options.apiKey !== undefined && options.cookie !== undefined) {
    throw new Error("createSigilClient: pass either `apiKey` or `cookie`, not both.");
  }
  const headers: Record<string, string> = { ...options.headers };
  if (options.tenant !== undefined) headers["x-tenant-id"] = options.tenant;
  if (options.apiKey !== undefined) headers.authorization = `Bearer ${options.apiKey}`;
  if (options.cookie !== undefined) {
    headers.cookie = options.cookie;
    // Cookie-authenticated mutations must come from the same origin (the server checks Origin).
    headers.origin = base.origin;
  }
  return headers;
}

/**
 * A typed client of the Sigil API: `client.prompts.list.query(…)`, `client.tenants.create.mutate(…)`.
 * Batches calls made in the same tick into one HTTP request (httpBatchLink) and uses superjson,
 * like the server, so dates come back as `Date`. Errors are `TRPCClientError`s whose
 * `data.code` is the tRPC code (`FORBIDDEN`, `NOT_FOUND`, …) and `data.zodError` the field errors.
 */
export function createSigilClient(options: SigilClientOptions): SigilClient {
  const base = resolveBaseUrl(options);
  return createTRPCClient<AppRouter>({ links: [sigilLink(base, headersFor(options, base))] });
}

type LinkFetch = NonNullable<Parameters<typeof httpBatchLink>[0]["fetch"]>;

/**
 * Most procedures the API accepts in one batch (MAX_BATCH_SIZE of @sigil/validators, which this
 * package does not depend on; a test keeps the two equal).
 */
export const MAX_BATCH_SIZE = 20;

/** The batch link of every client: superjson, fixed headers, undici through the localhost agent. */
function sigilLink(base: URL, headers: Record<string, string>, onResponse?: (response: Awaited<ReturnType<typeof undiciFetch>>) => void) {
  const fetch: LinkFetch = async (input, init) => {
    const plain: Record<string, string> = {};
    new Headers(init?.headers).forEach((value, key) => (plain[key] = value));
    // tRPC's links pass a string; a Request (typed with the DOM's RequestInfo, which this package
    // does not load) can only be Node's global one.
    const response = await sigilFetch(typeof input === "string" || input instanceof URL ? input : (input as Request).url, {
      method: init?.method,
      headers: plain,
      body: typeof init?.body === "string" ? init.body : null,
      signal: init?.signal ?? null,
    });
    onResponse?.(response);
    return response;
  };
  const url = `${base.href.replace(/\/+$/, "")}/api/trpc`;
  return splitLink({
    // An upload is sized for one file (the API's upload body limit): never batched with another.
    condition: (op) => op.path === "files.upload",
    true: httpLink({ url, transformer: superjson, headers: () => headers, fetch }),
    false: httpBatchLink({
      url,
      transformer: superjson,
      headers: () => headers,
      fetch,
      // Keep batched GET URLs well under Node's 16 KB header limit; longer batches are split,
      // and so are batches longer than the API accepts.
      maxURLLength: 8_000,
      maxItems: MAX_BATCH_SIZE,
    }),
  });
}

export interface SignInOptions {
  url: string;
  tenant?: string;
  /** Sign in as a system administrator on the admin host (see SigilClientOptions.admin). */
  admin?: boolean;
  email: string;
  password: string;
}

/**
 * Signs in (`auth.login`, or `admin.login` with `admin`) and returns the session as a `Cookie`
 * header value for `createSigilClient({ cookie })`. Throws the server's TRPCClientError on failure.
 */
export async function signIn(options: SignInOptions): Promise<{ cookie: string }> {
  const base = resolveBaseUrl(options);
  const cookies: string[] = [];
  const headers: Record<string, string> = { origin: base.origin };
  if (options.tenant !== undefined) headers["x-tenant-id"] = options.tenant;
  const client = createTRPCClient<AppRouter>({
    links: [sigilLink(base, headers, (response) => cookies.push(...response.headers.getSetCookie().map((line) => line.split(";")[0] ?? "")))],
  });
  const credentials = { email: options.email, password: options.password };
  if (options.admin) await client.admin.login.mutate(credentials);
  else await client.auth.login.mutate(credentials);
  const session = cookies.find((cookie) => /^sigil_(admin_)?session=./.test(cookie));
  if (session === undefined) throw new Error("signIn: the server answered without a session cookie.");
  return { cookie: session };
}
