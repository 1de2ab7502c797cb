import { isIP } from "node:net";

/** One `host:port` of SIGIL_OUTBOUND_ALLOW: a destination the operator trusts although it is not public. */
export interface OutboundAllowEntry {
  /** As the WHATWG URL parser writes it: lower case, IPv6 in brackets, no trailing dot. */
  host: string;
  port: number;
}

export const OUTBOUND_ALLOW_VARIABLE = "SIGIL_OUTBOUND_ALLOW";

/** A host name or IP literal as a URL's hostname writes it (so `LOCALHOST.`, `127.1` and `[::1]` compare equal to their canonical forms). */
export function canonicalHost(host: string): string {
  const bare = host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host;
  const literal = isIP(bare) === 6 ? `[${bare}]` : bare;
  return new URL(`http://${literal}/`).hostname.replace(/\.$/, "");
}

/**
 * Parses SIGIL_OUTBOUND_ALLOW: comma-separated `host:port` (e.g. `localhost:11434,[::1]:8000`).
 * Throws a message naming the variable and the entry when an entry is not `host:port`.
 */
export function parseOutboundAllow(raw: string | undefined, variable = OUTBOUND_ALLOW_VARIABLE): OutboundAllowEntry[] {
  if (raw === undefined || raw.trim() === "") return [];
  return raw
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry !== "")
    .map((entry) => {
      const match = /^(\[[0-9a-fA-F:.]+\]|[^:[\]/\s@]+):(\d{1,5})$/.exec(entry);
      const port = Number(match?.[2]);
      let host: string | undefined;
      try {
        host = match?.[1] ? canonicalHost(match[1]) : undefined;
      } catch {
        host = undefined;
      }
      if (!host || !Number.isInteger(port) || port < 1 || port > 65_535) {
        throw new Error(
          `${variable}=${JSON.stringify(raw)} is not valid: ${JSON.stringify(entry)} must be host:port ` +
            `(e.g. localhost:11434 or [::1]:8000), entries separated by commas.`,
        );
      }
      return { host, port };
    });
}

export function isAllowListed(allow: readonly OutboundAllowEntry[], host: string, port: number): boolean {
  const wanted = canonicalHost(host);
  return allow.some((entry) => entry.port === port && entry.host === wanted);
}
