import { describe, expect, test } from "vitest";
import { classifyAddress } from "./addresses.ts";

const reasonOf = (address: string) => {
  const verdict = classifyAddress(address);
  return verdict.allowed ? "allowed" : verdict.reason;
};

describe("classifyAddress", () => {
  test.each([
    ["8.8.8.8"],
    ["1.1.1.1"],
    ["93.184.215.14"],
    ["172.15.255.255"],
    ["172.32.0.0"],
    ["100.63.255.255"],
    ["100.128.0.0"],
    ["169.253.255.255"],
    ["2606:4700:4700::1111"],
    ["2a00:1450:4001:81a::200e"],
    ["::ffff:8.8.8.8"],
    ["::ffff:808:808"],
    ["64:ff9b::808:808"],
    ["2002:808:808::1"],
  ])("%s is public", (address) => {
    expect(reasonOf(address)).toBe("allowed");
  });

  test.each([
    ["127.0.0.1", "a loopback address"],
    ["127.255.255.254", "a loopback address"],
    ["10.0.0.1", "a private address"],
    ["172.16.0.1", "a private address"],
    ["172.31.255.255", "a private address"],
    ["192.168.1.1", "a private address"],
    ["169.254.0.1", "a link-local address"],
    ["100.64.0.1", "a carrier-grade NAT address"],
    ["100.127.255.255", "a carrier-grade NAT address"],
    ["0.0.0.0", 'an unspecified ("this network") address'],
    ["0.1.2.3", 'an unspecified ("this network") address'],
    ["224.0.0.1", "a multicast address"],
    ["239.255.255.250", "a multicast address"],
    ["255.255.255.255", "the broadcast address"],
    ["240.0.0.1", "a reserved address"],
    ["192.0.2.1", "a reserved address"],
    ["198.18.0.1", "a reserved address"],
    ["203.0.113.9", "a reserved address"],
    ["169.254.169.254", "a cloud metadata address"],
    ["100.100.100.200", "a cloud metadata address"],
    ["168.63.129.16", "a cloud metadata address"],
    ["192.0.0.192", "a cloud metadata address"],
  ])("IPv4 %s is refused: %s", (address, reason) => {
    expect(reasonOf(address)).toBe(reason);
  });

  test.each([
    ["::", "an unspecified address"],
    ["::1", "a loopback address"],
    ["0:0:0:0:0:0:0:1", "a loopback address"],
    ["fe80::1", "a link-local address"],
    ["fe80::1%eth0", "a link-local address"],
    ["febf:ffff::1", "a link-local address"],
    ["fec0::1", "a site-local address"],
    ["fc00::1", "a unique-local (private) address"],
    ["fd12:3456:789a::1", "a unique-local (private) address"],
    ["fd00:ec2::254", "a cloud metadata address"],
    ["ff02::1", "a multicast address"],
    ["2001:db8::1", "a reserved address"],
    ["2001::1", "a reserved address"], // Teredo
    ["100::1", "a reserved address"],
    ["3fff::1", "a reserved address"],
  ])("IPv6 %s is refused: %s", (address, reason) => {
    expect(reasonOf(address)).toBe(reason);
  });

  test.each([
    ["::ffff:127.0.0.1", "a loopback address"],
    ["::ffff:7f00:1", "a loopback address"],
    ["0:0:0:0:0:ffff:7f00:1", "a loopback address"],
    ["::ffff:169.254.169.254", "a cloud metadata address"],
    ["::ffff:a9fe:a9fe", "a cloud metadata address"],
    ["::ffff:10.1.2.3", "a private address"],
    ["::127.0.0.1", "a loopback address"], // IPv4-compatible
    ["::7f00:1", "a loopback address"],
    ["::8.8.8.8", "a reserved address"], // IPv4-compatible is deprecated even for public addresses
    ["64:ff9b::7f00:1", "a loopback address"], // NAT64
    ["64:ff9b::a9fe:a9fe", "a cloud metadata address"],
    ["2002:7f00:1::", "a loopback address"], // 6to4
    ["2002:c0a8:101::1", "a private address"],
  ])("IPv6 %s carrying an IPv4 address is judged by it: %s", (address, reason) => {
    expect(reasonOf(address)).toBe(reason);
  });

  test.each([["2130706433"], ["0x7f.1"], ["0177.0.0.1"], ["0x7f000001"], ["127.1"], ["017700000001"], ["localhost"], [""], ["[::1"]])(
    "%s is not an IP literal: refused as such (the URL parser or DNS turns it into one first)",
    (address) => {
      expect(reasonOf(address)).toBe("not an IP address");
    },
  );

  test.each([
    ["http://2130706433/", "127.0.0.1"],
    ["http://0x7f.1/", "127.0.0.1"],
    ["http://0177.0.0.1/", "127.0.0.1"],
    ["http://0x7f000001:8080/", "127.0.0.1"],
    ["http://127.1/", "127.0.0.1"],
    ["http://①②⑦.0.0.1/", "127.0.0.1"],
    ["http://[::ffff:127.0.0.1]/", "[::ffff:7f00:1]"],
    ["http://[0:0:0:0:0:ffff:a9fe:a9fe]/", "[::ffff:a9fe:a9fe]"],
  ])("WHATWG URL normalises %s to %s, which is refused", (url, hostname) => {
    expect(new URL(url).hostname).toBe(hostname);
    expect(classifyAddress(hostname).allowed).toBe(false);
  });
});
