import { describe, expect, test } from "vitest";
import { isAllowListed, parseOutboundAllow } from "./allow-list.ts";

describe("SIGIL_OUTBOUND_ALLOW", () => {
  test("host:port entries, canonicalised like URL host names", () => {
    expect(parseOutboundAllow(undefined)).toEqual([]);
    expect(parseOutboundAllow(" ")).toEqual([]);
    const allow = parseOutboundAllow("localhost:11434, LLM.internal.:8000,[::1]:9000,127.1:80");
    expect(allow).toEqual([
      { host: "localhost", port: 11434 },
      { host: "llm.internal", port: 8000 },
      { host: "[::1]", port: 9000 },
      { host: "127.0.0.1", port: 80 },
    ]);
    expect(isAllowListed(allow, "localhost", 11434)).toBe(true);
    expect(isAllowListed(allow, "localhost", 11435)).toBe(false);
    expect(isAllowListed(allow, "::1", 9000)).toBe(true);
    expect(isAllowListed(allow, "[0:0::1]", 9000)).toBe(true);
    expect(isAllowListed(allow, "127.0.0.1", 80)).toBe(true);
    expect(isAllowListed(allow, "llm.internal", 8000)).toBe(true);
  });

  test.each(["localhost", "localhost:", "localhost:0", "localhost:70000", "http://localhost:1", "a b:1", "::1:80", "user@host:1"])(
    "%s is refused with a message naming the variable",
    (raw) => {
      expect(() => parseOutboundAllow(raw)).toThrow(/^SIGIL_OUTBOUND_ALLOW=.* is not valid: .* must be host:port/);
    },
  );
});
