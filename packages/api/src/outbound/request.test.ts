import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { parseOutboundAllow } from "./allow-list.ts";
import { outboundRequest, OutboundUnreachableError, type OutboundPolicy, type OutboundResolver } from "./request.ts";

interface Local {
  server: Server;
  port: number;
  hits: string[];
}

async function listen(
  host: string,
  port: number,
  handler: (path: string) => { status: number; body: string; headers?: Record<string, string> },
): Promise<Local> {
  const hits: string[] = [];
  const server = createServer((req, res) => {
    hits.push(`${req.headers.host ?? ""} ${req.url ?? ""}`);
    const answer = handler(req.url ?? "");
    res.writeHead(answer.status, { "content-type": "application/json", ...answer.headers });
    res.end(answer.body);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, resolve);
  });
  return { server, port: (server.address() as AddressInfo).port, hits };
}

let provider: Local;
let secret: Local;
/** The same port on another loopback address: where a rebound name would lead. */
let rebound: Local;

beforeAll(async () => {
  secret = await listen("127.0.0.1", 0, () => ({ status: 200, body: '{"secret":"internal-token-123"}' }));
  provider = await listen("127.0.0.1", 0, (path) =>
    path === "/redirect"
      ? { status: 302, body: "", headers: { location: `http://127.0.0.1:${secret.port}/` } }
      : path === "/big"
        ? { status: 200, body: "x".repeat(10_000) }
        : { status: 200, body: '{"ok":true}' },
  );
  rebound = await listen("127.0.0.2", provider.port, () => ({ status: 200, body: '{"rebound":true}' }));
});
afterAll(async () => {
  for (const local of [provider, secret, rebound]) {
    local.server.closeAllConnections();
    await new Promise((resolve) => local.server.close(resolve));
  }
});

const post = (url: string, policy: OutboundPolicy) =>
  outboundRequest(url, { method: "POST", headers: { "content-type": "application/json" }, body: "{}", maxResponseBytes: 1_000 }, policy);

async function refusal(promise: Promise<unknown>): Promise<OutboundUnreachableError> {
  const error = await promise.then(
    () => new Error("the request was not refused"),
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(OutboundUnreachableError);
  expect((error as Error).message).toBe("The destination could not be reached.");
  return error as OutboundUnreachableError;
}

describe("outboundRequest", () => {
  test("an allow-listed host:port is reached; the same server without the allow-list is refused before connecting", async () => {
    const allowed = await post(`http://127.0.0.1:${provider.port}/ok`, { allow: parseOutboundAllow(`127.0.0.1:${provider.port}`) });
    expect(allowed).toMatchObject({ status: 200, body: '{"ok":true}' });

    const before = provider.hits.length;
    const refused = await refusal(post(`http://127.0.0.1:${provider.port}/ok`, { allow: [] }));
    expect(refused.detail).toMatch(/127\.0\.0\.1, a loopback address/);
    // Another port of an allowed host is not allowed.
    await refusal(post(`http://127.0.0.1:${secret.port}/`, { allow: parseOutboundAllow(`127.0.0.1:${provider.port}`) }));
    // Numeric spellings of 127.0.0.1 and mapped IPv6 are the same address.
    for (const host of ["2130706433", "0x7f.1", "0177.0.0.1", "[::ffff:127.0.0.1]", "[::ffff:7f00:1]", "localhost"]) {
      await refusal(post(`http://${host}:${provider.port}/ok`, { allow: [] }));
    }
    expect(provider.hits.length).toBe(before);
    expect(secret.hits).toEqual([]);
  });

  test("a name resolving to a private address (or to any private address among public ones) is refused", async () => {
    const asked: string[] = [];
    const resolver =
      (answers: string[]): OutboundResolver =>
      async (hostname) => {
        asked.push(hostname);
        return answers.map((address) => ({ address, family: address.includes(":") ? 6 : 4 }));
      };
    const privateName = await refusal(post("http://llm.example.test/v1", { allow: [], resolve: resolver(["10.0.0.7"]) }));
    expect(privateName.detail).toMatch(/llm\.example\.test resolves to 10\.0\.0\.7, a private address/);
    const mixed = await refusal(post("https://llm.example.test/v1", { allow: [], resolve: resolver(["8.8.8.8", "fd00:ec2::254"]) }));
    expect(mixed.detail).toMatch(/fd00:ec2::254, a cloud metadata address/);
    expect(asked).toEqual(["llm.example.test", "llm.example.test"]);
  });

  test("DNS rebinding: the connection goes to the address that was checked, the name is resolved once", async () => {
    let calls = 0;
    // First answer: the allowed server; any later answer: another loopback address on the same port.
    const rebinding: OutboundResolver = async () => [{ address: calls++ === 0 ? "127.0.0.1" : "127.0.0.2", family: 4 }];
    const response = await post(`http://rebind.example.test:${provider.port}/ok`, {
      allow: parseOutboundAllow(`127.0.0.1:${provider.port}`),
      resolve: rebinding,
    });
    expect(response.body).toBe('{"ok":true}');
    expect(calls).toBe(1);
    expect(provider.hits.at(-1)).toBe(`rebind.example.test:${provider.port} /ok`);
    expect(rebound.hits).toEqual([]);
  });

  test("redirects are not followed; only http and https; an oversized answer is not read", async () => {
    const allow = parseOutboundAllow(`127.0.0.1:${provider.port}`);
    const redirect = await post(`http://127.0.0.1:${provider.port}/redirect`, { allow });
    expect(redirect.status).toBe(302);
    expect(secret.hits).toEqual([]);
    for (const url of ["ftp://127.0.0.1/", "file:///etc/passwd", "gopher://127.0.0.1:70/", "not a url"]) {
      await refusal(post(url, { allow: parseOutboundAllow("127.0.0.1:21") }));
    }
    expect((await refusal(post(`http://127.0.0.1:${provider.port}/big`, { allow }))).detail).toBe("the response could not be read");
  });

  test("a closed port reads exactly like a refused address", async () => {
    const closed = await listen("127.0.0.1", 0, () => ({ status: 200, body: "" }));
    await new Promise((resolve) => closed.server.close(resolve));
    const unreachable = await refusal(post(`http://127.0.0.1:${closed.port}/`, { allow: parseOutboundAllow(`127.0.0.1:${closed.port}`) }));
    const refused = await refusal(post(`http://127.0.0.1:${closed.port}/`, { allow: [] }));
    expect(unreachable.message).toBe(refused.message);
    expect(unreachable.address).toBe("127.0.0.1");
  });
});
