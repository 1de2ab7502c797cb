import { describe, expect, test } from "vitest";
import { EDGE_HEADERS } from "./http/edge-headers.ts";
import { requestInfoFrom } from "./request-info.ts";

describe("requestInfoFrom: what the HTTP edge decided, never what the client claims", () => {
  test("the address is the edge's, a client's X-Forwarded-For is ignored", () => {
    const forged = requestInfoFrom(new Request("http://acme.localhost/api/trpc/auth.login", { headers: { "x-forwarded-for": "203.0.113.99" } }));
    expect(forged.ip).toBeNull();
    const edge = requestInfoFrom(
      new Request("http://acme.localhost/api/trpc/auth.login", { headers: { "x-forwarded-for": "203.0.113.99", [EDGE_HEADERS.clientIp]: "127.0.0.1" } }),
    );
    expect(edge.ip).toBe("127.0.0.1");
  });

  test("secure when the URL is https or the edge saw TLS", () => {
    expect(requestInfoFrom(new Request("http://acme.localhost/")).secure).toBe(false);
    expect(requestInfoFrom(new Request("http://acme.localhost/", { headers: { [EDGE_HEADERS.proto]: "https" } })).secure).toBe(true);
    expect(requestInfoFrom(new Request("https://acme.localhost/")).secure).toBe(true);
  });
});
