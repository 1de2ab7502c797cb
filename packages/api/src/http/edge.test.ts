import { IncomingMessage, type Server } from "node:http";
import { connect, Socket, type AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { readApiConfig } from "../config.ts";
import { acceptUpgrade, bodyLimit, clientAddress, clientProto, createEdgeServer, type EdgeConfig } from "./edge.ts";

const config: EdgeConfig = { trustProxyHops: 0, maxBodyBytes: 64 * 1024, maxUploadBodyBytes: 256 * 1024 };

/** What the handler behind the edge saw: its headers and the body it could read. */
interface Seen {
  headers: IncomingMessage["headers"];
  rawHeaders: string[];
  body: string;
}

async function listen(edgeConfig: EdgeConfig): Promise<{ server: Server; port: number }> {
  const server = createEdgeServer(edgeConfig, (req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const seen: Seen = { headers: req.headers, rawHeaders: req.rawHeaders, body: Buffer.concat(chunks).toString() };
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify(seen));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

/** Sends raw bytes and resolves with everything the server answered once it closes or `until` matches. */
function raw(port: number, head: string, options: { body?: string; keepSending?: number; until?: RegExp } = {}): Promise<{ text: string; sent: number }> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    let text = "";
    let sent = 0;
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      socket.destroy();
      resolve({ text, sent });
    };
    socket.on("data", (chunk: Buffer) => {
      text += chunk.toString();
      if (options.until?.test(text)) finish();
    });
    socket.on("close", finish);
    socket.on("error", finish);
    socket.write(head);
    if (options.body !== undefined) socket.write(options.body);
    if (options.keepSending !== undefined) {
      const chunk = Buffer.alloc(16 * 1024, "a");
      const framed = `${chunk.length.toString(16)}\r\n${chunk.toString()}\r\n`;
      const pump = () => {
        while (!done && sent < (options.keepSending ?? 0)) {
          sent += chunk.length;
          if (!socket.write(framed)) return void socket.once("drain", pump);
        }
      };
      pump();
    }
  });
}

let server: Server;
let port: number;
beforeAll(async () => ({ server, port } = await listen(config)));
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const parseTrustProxy = (value: string | undefined) => readApiConfig({ TRUST_PROXY: value }).trustProxyHops;

describe("body limit", () => {
  test("a Content-Length over the limit is refused at once (413), before any byte of the body", async () => {
    const head = `POST /api/trpc/auth.login HTTP/1.1\r\nHost: acme.localhost\r\nContent-Type: application/json\r\nContent-Length: ${50 * 1024 * 1024}\r\n\r\n`;
    const { text } = await raw(port, head, { until: /\}\}\}\}$/ });
    expect(text).toMatch(/^HTTP\/1\.1 413 /);
    expect(text).toContain('"code":"PAYLOAD_TOO_LARGE"');
    expect(text).toContain("The request body is larger than 64 KB, the limit for this request.");
  });

  test("Expect: 100-continue over the limit gets 413 without being invited to send the body; within it, 100 Continue", async () => {
    const expect100 = (length: number) =>
      `POST /api/trpc/auth.login HTTP/1.1\r\nHost: acme.localhost\r\nContent-Type: application/json\r\nContent-Length: ${length}\r\nExpect: 100-continue\r\n\r\n`;
    const refused = await raw(port, expect100(50 * 1024 * 1024), { until: /\}\}\}\}$/ });
    expect(refused.text).toMatch(/^HTTP\/1\.1 413 /);
    expect(refused.text).not.toContain("100 Continue");
    const invited = await raw(port, expect100(2), { until: /100 Continue\r\n\r\n/ });
    expect(invited.text).toMatch(/^HTTP\/1\.1 100 Continue/);
  });

  test("a chunked body is refused as soon as it crosses the limit, while the client is still sending", async () => {
    const head = "POST /api/trpc/auth.login HTTP/1.1\r\nHost: acme.localhost\r\nTransfer-Encoding: chunked\r\n\r\n";
    const { text, sent } = await raw(port, head, { keepSending: 64 * 1024 * 1024, until: /\}\}\}\}$/ });
    expect(text).toMatch(/^HTTP\/1\.1 413 /);
    // The answer came long before the 64 MB were sent (what the client wrote to its socket, which
    // the edge's discard-reading after a refusal drains quickly: a margin for a busy machine).
    expect(sent).toBeLessThan(32 * 1024 * 1024);
  });

  test("a body within the limit reaches the handler whole, chunked or not", async () => {
    const body = JSON.stringify({ json: { text: "é".repeat(1000) } });
    const plain = await raw(
      port,
      `POST /api/trpc/prompts.create HTTP/1.1\r\nHost: acme.localhost\r\nConnection: close\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n`,
      { body },
    );
    expect(plain.text).toMatch(/^HTTP\/1\.1 200 /);
    expect((JSON.parse(plain.text.slice(plain.text.indexOf("\r\n\r\n") + 4)) as Seen).body).toBe(body);
    const chunked = `${Buffer.byteLength(body).toString(16)}\r\n${body}\r\n0\r\n\r\n`;
    const streamed = await raw(port, "POST /x HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n\r\n", { body: chunked });
    expect((JSON.parse(streamed.text.slice(streamed.text.indexOf("\r\n\r\n") + 4)) as Seen).body).toBe(body);
  });

  test("uploads get the upload limit, alone or in a batch; everything else the general one", () => {
    expect(bodyLimit("/api/trpc/files.upload", config)).toBe(256 * 1024);
    expect(bodyLimit("/tenant/acme/api/trpc/files.list,files.upload", config)).toBe(256 * 1024);
    expect(bodyLimit("/api/trpc/auth.login", config)).toBe(64 * 1024);
    expect(bodyLimit("/workspace/acme/files.upload", config)).toBe(64 * 1024);
    // The REST upload route, on a host or under a workspace prefix; its other routes keep the general limit.
    expect(bodyLimit("/api/v1/files", config)).toBe(256 * 1024);
    expect(bodyLimit("/tenant/acme/api/v1/files", config)).toBe(256 * 1024);
    expect(bodyLimit("/api/v1/executions", config)).toBe(64 * 1024);
    expect(bodyLimit("/api/v1/files/x/content", config)).toBe(64 * 1024);
  });
});

describe("headers", () => {
  test("two Host headers are refused (400)", async () => {
    const { text } = await raw(port, "GET / HTTP/1.1\r\nHost: acme.localhost\r\nHost: globex.localhost\r\nConnection: close\r\n\r\n");
    expect(text).toMatch(/^HTTP\/1\.1 400 /);
    expect(text).toContain("more than one Host header");
  });

  test("internal x-sigil-* and forwarded headers a client sends never reach the handler; the edge sets its own", async () => {
    const head =
      "GET /robots.txt HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n" +
      "x-sigil-area: admin\r\nX-Sigil-Tenant: globex\r\nx-sigil-client-ip: 10.9.9.9\r\nx-sigil-proto: https\r\n" +
      "X-Forwarded-For: 203.0.113.7\r\nX-Forwarded-Proto: https\r\nX-Forwarded-Host: evil.example\r\n\r\n";
    const { text } = await raw(port, head);
    const seen = JSON.parse(text.slice(text.indexOf("\r\n\r\n") + 4)) as Seen;
    expect(seen.headers["x-sigil-area"]).toBeUndefined();
    expect(seen.headers["x-sigil-tenant"]).toBeUndefined();
    expect(seen.headers["x-forwarded-for"]).toBeUndefined();
    expect(seen.headers["x-forwarded-host"]).toBeUndefined();
    expect(seen.headers["x-sigil-client-ip"]).toBe("127.0.0.1");
    expect(seen.headers["x-sigil-proto"]).toBe("http");
    const rawNames = seen.rawHeaders.filter((_, index) => index % 2 === 0).map((name) => name.toLowerCase());
    expect(rawNames.filter((name) => name.startsWith("x-sigil-") || name.startsWith("x-forwarded-"))).toEqual(["x-sigil-client-ip", "x-sigil-proto"]);
    expect(seen.rawHeaders[seen.rawHeaders.indexOf("x-sigil-client-ip") + 1]).toBe("127.0.0.1");
  });

  test("with TRUST_PROXY the nearest proxies' X-Forwarded-For / -Proto count, and nothing a client wrote before them", async () => {
    const trusting = await listen({ ...config, trustProxyHops: 1 });
    try {
      const head = "GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\nX-Forwarded-For: 6.6.6.6, 198.51.100.4\r\nX-Forwarded-Proto: https\r\n\r\n";
      const { text } = await raw(trusting.port, head);
      const seen = JSON.parse(text.slice(text.indexOf("\r\n\r\n") + 4)) as Seen;
      expect(seen.headers["x-sigil-client-ip"]).toBe("198.51.100.4");
      expect(seen.headers["x-sigil-proto"]).toBe("https");
    } finally {
      trusting.server.close();
    }
  });

  test("WebSocket upgrades pass the same checks", () => {
    const upgrade = (rawHeaders: string[]) => {
      const req = new IncomingMessage(new Socket());
      req.rawHeaders = rawHeaders;
      const headers: IncomingMessage["headers"] = {};
      for (let index = 0; index + 1 < rawHeaders.length; index += 2) headers[(rawHeaders[index] ?? "").toLowerCase()] ??= rawHeaders[index + 1];
      req.headers = headers;
      return req;
    };
    expect(acceptUpgrade(config, upgrade(["Host", "a.localhost", "Host", "b.localhost"]))).toBe(false);
    const req = upgrade(["Host", "localhost", "x-sigil-area", "admin", "X-Forwarded-For", "6.6.6.6"]);
    expect(acceptUpgrade(config, req)).toBe(true);
    expect(req.headers["x-sigil-area"]).toBeUndefined();
    expect(req.headers["x-forwarded-for"]).toBeUndefined();
  });

  test("client address and scheme by hop count", () => {
    expect(clientAddress("10.0.0.1", "1.1.1.1, 2.2.2.2", 0)).toBe("10.0.0.1");
    expect(clientAddress("10.0.0.1", "1.1.1.1, 2.2.2.2", 1)).toBe("2.2.2.2");
    expect(clientAddress("10.0.0.1", "1.1.1.1, 2.2.2.2", 2)).toBe("1.1.1.1");
    expect(clientAddress("10.0.0.1", "1.1.1.1, 2.2.2.2", 9)).toBe("1.1.1.1");
    expect(clientAddress("10.0.0.1", undefined, 1)).toBe("10.0.0.1");
    expect(clientProto(false, "https", 0)).toBe("http");
    expect(clientProto(false, "http, https", 1)).toBe("https");
    expect(clientProto(true, undefined, 0)).toBe("https");
  });

  test("TRUST_PROXY values", () => {
    for (const off of [undefined, "", "0", "off", "false", "OFF"]) expect(parseTrustProxy(off)).toBe(0);
    for (const on of ["1", "on", "true"]) expect(parseTrustProxy(on)).toBe(1);
    expect(parseTrustProxy("2")).toBe(2);
    for (const bad of ["yes", "-1", "1.5", "10.0.0.0/8", "100"]) expect(() => parseTrustProxy(bad)).toThrow(/TRUST_PROXY="[^"]*" is not valid/);
  });
});
