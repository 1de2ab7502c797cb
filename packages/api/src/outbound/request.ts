import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import { request as httpRequest, type IncomingHttpHeaders, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import { isIP, type LookupFunction } from "node:net";
import { classifyAddress } from "./addresses.ts";
import { canonicalHost, isAllowListed, type OutboundAllowEntry } from "./allow-list.ts";

/** Resolves a host name to all its addresses (default: the system resolver, like every Node client). */
export type OutboundResolver = (hostname: string) => Promise<{ address: string; family: number }[]>;

export interface OutboundPolicy {
  /** Destinations allowed although not public (SIGIL_OUTBOUND_ALLOW), e.g. a local model server. */
  allow: readonly OutboundAllowEntry[];
  /** Replaces DNS (tests). */
  resolve?: OutboundResolver;
}

export interface OutboundRequestInit {
  method: "GET" | "POST";
  headers: Record<string, string>;
  body?: string;
  signal?: AbortSignal;
  /** A response body larger than this is not read (the request fails as unreachable). */
  maxResponseBytes: number;
}

export interface OutboundResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/**
 * The destination was refused or could not be reached. Both are one error on purpose: whoever
 * chose the URL (a tenant) must not learn which internal addresses exist or which ports are open.
 * `detail` says which it was, for the operator's logs only.
 */
export class OutboundUnreachableError extends Error {
  readonly detail: string;
  /** The address the request connected to (or would have), when one was resolved. */
  readonly address: string | null;
  constructor(detail: string, address: string | null, options?: { cause?: unknown }) {
    super("The destination could not be reached.", options);
    this.name = "OutboundUnreachableError";
    this.detail = detail;
    this.address = address;
  }
}

const systemResolver: OutboundResolver = (hostname) =>
  new Promise((resolve, reject) => {
    dnsLookup(hostname, { all: true, verbatim: true }, (error, addresses: LookupAddress[]) => {
      if (error) reject(error);
      else resolve(addresses);
    });
  });

/**
 * The one way Sigil sends a request to a URL someone else chose (a tenant's provider base URL,
 * later webhooks). It resolves the host once, refuses it unless every address is public
 * (addresses.ts) or `host:port` / `address:port` is allow-listed, then connects to exactly the
 * address it checked: the socket's lookup is pinned, so a second DNS answer (rebinding) is never
 * used. Redirects are not followed (node:http never follows them): a 3xx is returned as is.
 * Only http and https.
 */
export async function outboundRequest(url: string, init: OutboundRequestInit, policy: OutboundPolicy): Promise<OutboundResponse> {
  const target = await checkedTarget(url, policy);
  return send(target, init);
}

interface CheckedTarget {
  url: URL;
  port: number;
  address: string;
  family: 4 | 6;
}

async function checkedTarget(raw: string, policy: OutboundPolicy): Promise<CheckedTarget> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch (error) {
    throw new OutboundUnreachableError("the URL cannot be parsed", null, { cause: error });
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new OutboundUnreachableError(`the scheme ${url.protocol} is not http or https`, null);
  }
  const port = url.port === "" ? (url.protocol === "https:" ? 443 : 80) : Number(url.port);
  const host = canonicalHost(url.hostname);
  const literal = host.startsWith("[") ? host.slice(1, -1) : host;
  let addresses: { address: string; family: number }[];
  if (isIP(literal) !== 0) {
    addresses = [{ address: literal, family: isIP(literal) }];
  } else {
    try {
      addresses = await (policy.resolve ?? systemResolver)(literal);
    } catch (error) {
      throw new OutboundUnreachableError(`${host} could not be resolved`, null, { cause: error });
    }
  }
  const first = addresses[0];
  if (!first || (first.family !== 4 && first.family !== 6)) throw new OutboundUnreachableError(`${host} has no address`, null);
  if (!isAllowListed(policy.allow, host, port)) {
    // Every address must pass, not only the one used: a name with one private answer is refused.
    for (const { address } of addresses) {
      const verdict = classifyAddress(address);
      if (!verdict.allowed && !isAllowListed(policy.allow, address, port)) {
        throw new OutboundUnreachableError(`${host} resolves to ${address}, ${verdict.reason}, which is not allowed (SIGIL_OUTBOUND_ALLOW)`, address);
      }
    }
  }
  return { url, port, address: first.address, family: first.family };
}

/** A socket lookup that answers the checked address whatever it is asked. */
function pinnedLookup(address: string, family: 4 | 6): LookupFunction {
  return (_hostname, options, callback) => {
    if (options.all) (callback as (error: null, addresses: LookupAddress[]) => void)(null, [{ address, family }]);
    else callback(null, address, family);
  };
}

function send(target: CheckedTarget, init: OutboundRequestInit): Promise<OutboundResponse> {
  const { url, port, address, family } = target;
  const request = url.protocol === "https:" ? httpsRequest : httpRequest;
  const headers: Record<string, string> = { ...init.headers };
  if (init.body !== undefined) headers["content-length"] = String(Buffer.byteLength(init.body));
  return new Promise<OutboundResponse>((resolve, reject) => {
    let responded = false;
    // An abort rejects with the signal's reason (the caller's timeout), not as "unreachable".
    const unreachable = (detail: string, cause?: unknown): Error => {
      const reason: unknown = init.signal?.aborted ? init.signal.reason : undefined;
      if (reason instanceof Error) return reason;
      return new OutboundUnreachableError(detail, address, { cause });
    };
    const req = request(
      {
        protocol: url.protocol,
        // The name stays the Host header and the TLS server name; only the lookup is pinned.
        hostname: url.hostname.startsWith("[") ? url.hostname.slice(1, -1) : url.hostname,
        port,
        path: `${url.pathname}${url.search}`,
        method: init.method,
        headers,
        lookup: pinnedLookup(address, family),
        // No shared agent: a pooled socket must never outlive the check that opened it.
        agent: false,
        signal: init.signal,
      },
      (response) => {
        responded = true;
        readCapped(response, init.maxResponseBytes).then(
          (body) => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }),
          (error: unknown) => reject(unreachable("the response could not be read", error)),
        );
      },
    );
    // Once an answer arrived, its own stream reports what goes wrong (destroying it errors the request too).
    req.on("error", (error) => {
      if (!responded) reject(unreachable(`connecting to ${address}:${port} failed`, error));
    });
    req.end(init.body);
  });
}

function readCapped(response: IncomingMessage, maxBytes: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    response.on("data", (chunk: Buffer) => {
      total += chunk.byteLength;
      if (total > maxBytes) {
        response.destroy(new Error(`the response is larger than ${maxBytes} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    response.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    response.on("error", reject);
    response.on("aborted", () => reject(new Error("the response was cut off")));
  });
}

/**
 * Why a URL is refused without resolving anything, or null: its host is an IP literal (in any
 * spelling the URL parser normalises) or `localhost` that the guard would refuse and that is not
 * allow-listed. For settings forms: telling an admin at once that `http://127.0.0.1:8080` cannot
 * work reveals nothing they did not type. Names are not resolved here (that would let a tenant
 * probe internal DNS); the guard checks them when the request is sent.
 */
export function refusedLiteralReason(raw: string, allow: readonly OutboundAllowEntry[]): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  const port = url.port === "" ? (url.protocol === "https:" ? 443 : 80) : Number(url.port);
  const host = canonicalHost(url.hostname);
  if (isAllowListed(allow, host, port)) return null;
  if (host === "localhost" || host.endsWith(".localhost")) return "a loopback address";
  const literal = host.startsWith("[") ? host.slice(1, -1) : host;
  if (isIP(literal) === 0) return null;
  const verdict = classifyAddress(literal);
  return verdict.allowed ? null : verdict.reason;
}
