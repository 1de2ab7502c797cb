import { isIP } from "node:net";

/**
 * Which IP addresses an outbound request (a tenant's provider, later webhooks) may connect to.
 * Only addresses that are globally reachable unicast pass; everything an attacker could use to
 * reach the installation itself, its network or a cloud's metadata service is refused.
 *
 * IPv6 addresses that carry an IPv4 address (IPv4-mapped `::ffff:a.b.c.d`, the deprecated
 * IPv4-compatible `::a.b.c.d`, NAT64 `64:ff9b::/96`, 6to4 `2002::/16`) are judged by that IPv4
 * address. The input must be an IP literal as `net.isIP` accepts it (what DNS answers and what the
 * WHATWG URL parser produces: it already turns `2130706433`, `0x7f.1` and `0177.0.0.1` into
 * `127.0.0.1`); anything else is refused.
 */
export type AddressVerdict = { allowed: true } | { allowed: false; reason: string };

type Range4 = [first: number, prefix: number, reason: string];

const ipv4 = (text: string): number => text.split(".").reduce((n, part) => n * 256 + Number(part), 0);

/** Special-purpose IPv4 blocks (RFC 6890 and the IANA registry), most specific reason first. */
const REFUSED_IPV4: readonly Range4[] = [
  [ipv4("169.254.169.254"), 32, "a cloud metadata address"],
  [ipv4("100.100.100.200"), 32, "a cloud metadata address"], // Alibaba Cloud
  [ipv4("168.63.129.16"), 32, "a cloud metadata address"], // Azure WireServer (publicly routable block)
  [ipv4("192.0.0.192"), 32, "a cloud metadata address"], // Oracle Cloud
  [ipv4("0.0.0.0"), 8, 'an unspecified ("this network") address'],
  [ipv4("10.0.0.0"), 8, "a private address"],
  [ipv4("100.64.0.0"), 10, "a carrier-grade NAT address"],
  [ipv4("127.0.0.0"), 8, "a loopback address"],
  [ipv4("169.254.0.0"), 16, "a link-local address"],
  [ipv4("172.16.0.0"), 12, "a private address"],
  [ipv4("192.0.0.0"), 24, "a reserved address"],
  [ipv4("192.0.2.0"), 24, "a reserved address"],
  [ipv4("192.31.196.0"), 24, "a reserved address"],
  [ipv4("192.52.193.0"), 24, "a reserved address"],
  [ipv4("192.88.99.0"), 24, "a reserved address"],
  [ipv4("192.168.0.0"), 16, "a private address"],
  [ipv4("192.175.48.0"), 24, "a reserved address"],
  [ipv4("198.18.0.0"), 15, "a reserved address"],
  [ipv4("198.51.100.0"), 24, "a reserved address"],
  [ipv4("203.0.113.0"), 24, "a reserved address"],
  [ipv4("224.0.0.0"), 4, "a multicast address"],
  [ipv4("255.255.255.255"), 32, "the broadcast address"],
  [ipv4("240.0.0.0"), 4, "a reserved address"],
];

function inRange4(address: number, [first, prefix]: Range4): boolean {
  const size = 2 ** (32 - prefix);
  return address >= first && address < first + size;
}

function classifyIpv4(address: number): AddressVerdict {
  const range = REFUSED_IPV4.find((candidate) => inRange4(address, candidate));
  return range ? { allowed: false, reason: range[2] } : { allowed: true };
}

/** The 16 bytes of an IPv6 literal (with `::`, an embedded dotted IPv4 tail, or a `%zone`). */
function ipv6Bytes(text: string): Uint8Array {
  const bytes = new Uint8Array(16);
  let literal = text.replace(/%.*$/, "");
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(literal);
  if (dotted?.[1]) {
    const n = ipv4(dotted[1]);
    literal = `${literal.slice(0, dotted.index)}${((n >>> 16) & 0xffff).toString(16)}:${(n & 0xffff).toString(16)}`;
  }
  const [head = "", tail] = literal.split("::");
  const headGroups = head === "" ? [] : head.split(":");
  const tailGroups = tail === undefined || tail === "" ? [] : tail.split(":");
  const groups = [...headGroups, ...Array<string>(8 - headGroups.length - tailGroups.length).fill("0"), ...tailGroups];
  groups.forEach((group, index) => {
    const value = parseInt(group, 16);
    bytes[index * 2] = value >> 8;
    bytes[index * 2 + 1] = value & 0xff;
  });
  return bytes;
}

const embeddedIpv4 = (bytes: Uint8Array, offset: number): number =>
  (((bytes[offset] ?? 0) << 24) >>> 0) + ((bytes[offset + 1] ?? 0) << 16) + ((bytes[offset + 2] ?? 0) << 8) + (bytes[offset + 3] ?? 0);

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return prefix.every((byte, index) => bytes[index] === byte);
}

/** The first `bits` bits of `bytes` equal those of `prefix`. */
function hasPrefix(bytes: Uint8Array, prefix: readonly number[], bits: number): boolean {
  for (let bit = 0; bit < bits; bit += 1) {
    const byte = Math.floor(bit / 8);
    const mask = 0x80 >> (bit % 8);
    if (((bytes[byte] ?? 0) & mask) !== ((prefix[byte] ?? 0) & mask)) return false;
  }
  return true;
}

function classifyIpv6(bytes: Uint8Array): AddressVerdict {
  const zeros = (count: number) => Array<number>(count).fill(0);
  if (bytes.every((byte) => byte === 0)) return { allowed: false, reason: "an unspecified address" };
  if (startsWith(bytes, [...zeros(15), 1])) return { allowed: false, reason: "a loopback address" };
  // IPv4-mapped ::ffff:0:0/96 reaches the IPv4 address: it decides. IPv4-compatible ::/96 is
  // deprecated (RFC 4291) and refused, naming the IPv4 address's own reason when it has one.
  if (startsWith(bytes, [...zeros(10), 0xff, 0xff])) return classifyIpv4(embeddedIpv4(bytes, 12));
  if (startsWith(bytes, zeros(12))) {
    const embedded = classifyIpv4(embeddedIpv4(bytes, 12));
    return embedded.allowed ? { allowed: false, reason: "a reserved address" } : embedded;
  }
  // NAT64 64:ff9b::/96 and 64:ff9b:1::/48 translate to IPv4; 6to4 2002::/16 tunnels to it.
  if (startsWith(bytes, [0x00, 0x64, 0xff, 0x9b, ...zeros(8)])) return classifyIpv4(embeddedIpv4(bytes, 12));
  if (startsWith(bytes, [0x00, 0x64, 0xff, 0x9b, 0x00, 0x01])) return { allowed: false, reason: "a reserved address" };
  if (startsWith(bytes, [0x20, 0x02])) return classifyIpv4(embeddedIpv4(bytes, 2));
  if (startsWith(bytes, [0xfd, 0x00, 0x0e, 0xc2, ...zeros(10), 0x02, 0x54])) return { allowed: false, reason: "a cloud metadata address" };
  if (hasPrefix(bytes, [0xfc], 7)) return { allowed: false, reason: "a unique-local (private) address" };
  if (hasPrefix(bytes, [0xfe, 0x80], 10)) return { allowed: false, reason: "a link-local address" };
  if (hasPrefix(bytes, [0xfe, 0xc0], 10)) return { allowed: false, reason: "a site-local address" };
  if (bytes[0] === 0xff) return { allowed: false, reason: "a multicast address" };
  // Only global unicast 2000::/3 is reachable on the internet, minus its special-purpose blocks:
  // 2001::/23 (IETF protocol assignments, Teredo), 2001:db8::/32 and 3fff::/20 (documentation).
  if (!hasPrefix(bytes, [0x20], 3)) return { allowed: false, reason: "a reserved address" };
  if (hasPrefix(bytes, [0x20, 0x01, 0x00, 0x00], 23)) return { allowed: false, reason: "a reserved address" };
  if (startsWith(bytes, [0x20, 0x01, 0x0d, 0xb8])) return { allowed: false, reason: "a reserved address" };
  if (hasPrefix(bytes, [0x3f, 0xff], 20)) return { allowed: false, reason: "a reserved address" };
  return { allowed: true };
}

/** Whether an outbound request may connect to `address` (an IP literal). */
export function classifyAddress(address: string): AddressVerdict {
  const literal = address.startsWith("[") && address.endsWith("]") ? address.slice(1, -1) : address;
  switch (isIP(literal)) {
    case 4:
      return classifyIpv4(ipv4(literal));
    case 6:
      return classifyIpv6(ipv6Bytes(literal));
    default:
      return { allowed: false, reason: "not an IP address" };
  }
}
