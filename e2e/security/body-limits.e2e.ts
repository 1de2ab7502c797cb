import { expect, test } from "@playwright/test";
import { exchange, send } from "./support";

const login = (headers: string) => `POST /api/trpc/auth.login HTTP/1.1\r\nHost: acme.localhost\r\nContent-Type: application/json\r\n${headers}\r\n`;

test("a 50 MB Content-Length is refused at once (413), before the body is sent", async () => {
  const started = Date.now();
  const { text } = await exchange(login(`Content-Length: ${50 * 1024 * 1024}\r\n`));
  expect(text).toMatch(/^HTTP\/1\.1 413 /);
  expect(text).toContain('"code":"PAYLOAD_TOO_LARGE"');
  expect(text).toContain("The request body is larger than 1 MB, the limit for this request.");
  expect(Date.now() - started).toBeLessThan(2_000);
});

test("an endless chunked body is refused as soon as it crosses the limit, not read to the end", async () => {
  const streamBytes = 250 * 1024 * 1024;
  const { text, sent } = await exchange(login("Transfer-Encoding: chunked\r\n"), { streamBytes });
  expect(text).toMatch(/^HTTP\/1\.1 413 /);
  // The answer came while the client was still sending, long before the 250 MB were through.
  // `sent` counts what the client wrote to its socket; after the 413 the server reads and
  // discards for a moment (edge.ts: LINGER_MS), so on a busy machine that can be tens of MB.
  expect(sent).toBeLessThan(streamBytes / 2);
});

test("parallel oversized bodies leave the server answering at once", async () => {
  const flood = Array.from({ length: 8 }, () => exchange(login("Transfer-Encoding: chunked\r\n"), { streamBytes: 100 * 1024 * 1024 }));
  const started = Date.now();
  const landing = await send({ path: "/" });
  expect(landing.status).toBe(200);
  expect(Date.now() - started).toBeLessThan(3_000);
  for (const { text } of await Promise.all(flood)) expect(text).toMatch(/^HTTP\/1\.1 413 /);
});

test("an upload gets the upload limit (a 2 MB body reaches the API), anything else the general one", async () => {
  const body = JSON.stringify({ json: { name: "a.txt", mimeType: "text/plain", contentBase64: "a".repeat(2 * 1024 * 1024) } });
  const upload = await send({ method: "POST", path: "/api/trpc/files.upload", host: "acme.localhost", headers: { "content-type": "application/json" }, body });
  // Past the edge: the API itself answers (no credentials).
  expect(upload.status).toBe(401);
  const other = await send({ method: "POST", path: "/api/trpc/prompts.create", host: "acme.localhost", headers: { "content-type": "application/json" }, body });
  expect(other.status).toBe(413);
});

test("a batch of 21 procedures is refused with a message; 20 are answered one by one", async () => {
  const batch = (n: number) => `/api/trpc/${Array.from({ length: n }, () => "auth.me").join(",")}?batch=1&input=${encodeURIComponent("{}")}`;
  const refused = await send({ path: batch(21), host: "acme.localhost" });
  expect(refused.status).toBe(400);
  expect(refused.text).toContain("A batch may call at most 20 procedures; this one calls 21.");
  const answered = await send({ path: batch(20), host: "acme.localhost" });
  expect(answered.status).toBe(401);
  expect(JSON.parse(answered.text)).toHaveLength(20);
});
