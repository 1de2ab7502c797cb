import { createHash, randomBytes } from "node:crypto";
import { request as httpRequest } from "node:http";
import { connect } from "node:net";
import { test } from "@playwright/test";
import type { SigilClient } from "@sigil/client";
import superjson from "superjson";
import { adminClient, DEMO, PORT } from "../support/env";

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/**
 * A loopback source address of the running test's own, 127.x.y.z derived from its title (and
 * `salt`). Linux routes all of 127.0.0.0/8 to the loopback interface, and the server's per-IP
 * sign-in rate limit (RATE_LIMIT_SIGNIN_PER_IP) counts per address: a probe that sends dozens of
 * sign-ins from its own address never empties the bucket of 127.0.0.1, which the other tests use.
 */
export function ownAddress(salt = ""): string {
  const digest = createHash("sha256")
    .update(`${test.info().titlePath.join("\0")}\0${salt}`)
    .digest();
  // The second octet is never 0: never 127.0.0.1.
  return `127.${(digest.readUInt8(0) % 254) + 1}.${digest.readUInt8(1)}.${(digest.readUInt8(2) % 254) + 1}`;
}

/**
 * One HTTP request to the server on 127.0.0.1 with any Host header (Node cannot resolve
 * *.localhost), from the loopback address `from` when given (see ownAddress).
 */
export function send(options: {
  method?: string;
  path: string;
  host?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  from?: string;
}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: "127.0.0.1",
        port: PORT,
        ...(options.from ? { localAddress: options.from } : {}),
        method: options.method ?? "GET",
        path: options.path,
        headers: { host: `${options.host ?? "localhost"}:${PORT}`, ...options.headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString() }));
      },
    );
    req.on("error", reject);
    req.end(options.body);
  });
}

/**
 * Raw bytes over a socket: writes `head`, then (with `streamBytes`) an endless chunked body until
 * the server answers or `streamBytes` were sent. Resolves with the answer's text and how many
 * body bytes went out before it came.
 */
export function exchange(head: string, options: { streamBytes?: number; timeoutMs?: number } = {}): Promise<{ text: string; sent: number }> {
  return new Promise((resolve) => {
    const socket = connect(PORT, "127.0.0.1");
    let text = "";
    let sent = 0;
    let done = false;
    const finish = () => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ text, sent });
    };
    const timer = setTimeout(finish, options.timeoutMs ?? 15_000);
    socket.on("data", (chunk: Buffer) => {
      text += chunk.toString();
      // A complete answer: headers and a body of the announced length.
      const split = text.indexOf("\r\n\r\n");
      const length = /content-length: (\d+)/i.exec(text)?.[1];
      if (split !== -1 && length !== undefined && Buffer.byteLength(text.slice(split + 4)) >= Number(length)) finish();
    });
    socket.on("close", finish);
    socket.on("error", finish);
    socket.write(head);
    const limit = options.streamBytes;
    if (limit === undefined) return;
    const chunk = Buffer.alloc(64 * 1024, "a");
    const framed = Buffer.concat([Buffer.from(`${chunk.length.toString(16)}\r\n`), chunk, Buffer.from("\r\n")]);
    const pump = () => {
      while (!done && sent < limit) {
        sent += chunk.length;
        if (!socket.write(framed)) return void socket.once("drain", pump);
      }
    };
    pump();
  });
}

/** A tRPC call on a host, the way the typed client sends it; answers the parsed error or data. */
export async function trpc(
  type: "query" | "mutation",
  procedure: string,
  input: unknown,
  options: { host?: string; cookie?: string; origin?: string; headers?: Record<string, string>; from?: string } = {},
): Promise<Answer & { message: string | undefined; data: unknown }> {
  const serialized = JSON.stringify(superjson.serialize(input));
  const headers: Record<string, string> = { ...options.headers };
  if (options.cookie) headers.cookie = options.cookie;
  if (options.origin) headers.origin = options.origin;
  const answer =
    type === "query"
      ? await send({ path: `/api/trpc/${procedure}?input=${encodeURIComponent(serialized)}`, host: options.host, headers, from: options.from })
      : await send({
          method: "POST",
          path: `/api/trpc/${procedure}`,
          host: options.host,
          from: options.from,
          headers: { "content-type": "application/json", ...headers },
          body: serialized,
        });
  const parsed = JSON.parse(answer.text) as {
    error?: Parameters<typeof superjson.deserialize>[0];
    result?: { data: Parameters<typeof superjson.deserialize>[0] };
  };
  const error = parsed.error ? superjson.deserialize<{ message: string }>(parsed.error) : undefined;
  return { ...answer, message: error?.message, data: parsed.result ? superjson.deserialize(parsed.result.data) : undefined };
}

/** Signs the demo owner of acme in; answers the session cookie (`name=value`). */
export async function signInCookie(headers: Record<string, string> = {}): Promise<string> {
  return sessionCookieOf(await trpc("mutation", "auth.login", DEMO.acme, { host: "acme.localhost", origin: `http://acme.localhost:${PORT}`, headers }));
}

/** The session cookie (`name=value`) a successful sign-in answer sets; throws with the answer otherwise. */
export function sessionCookieOf(answer: Answer): string {
  const line = [answer.headers["set-cookie"] ?? []].flat()[0];
  if (answer.status !== 200 || !line) throw new Error(`sign-in failed: ${answer.status} ${answer.text}`);
  return line.split(";")[0] ?? "";
}

let admin: Promise<SigilClient> | undefined;

export interface Limits {
  users: number;
  storage: number;
  executions_per_month: number;
}

/** A workspace a probe creates for itself (and its owner's sign-in), so that nothing it locks or uses up is the demo's. */
export interface ProbeTenant {
  id: string;
  slug: string;
  host: string;
  origin: string;
  owner: { id: string; email: string; password: string };
}

/**
 * Creates a workspace through the admin API (one sign-in of the demo administrator per worker):
 * what a probe locks, fills or races on is never a login or quota the other tests rely on.
 */
export async function createTenant(topic: string, limits: Partial<Limits> = {}): Promise<ProbeTenant> {
  admin ??= adminClient();
  const slug = `probe-${topic}-${randomBytes(3).toString("hex")}`;
  const password = `${slug}-owner-password`;
  const created = await (
    await admin
  ).tenants.create.mutate({
    name: `Probe ${topic}`,
    slug,
    plan: "pro",
    settings: { features: ["deployments", "files"], limits: { users: 10, storage: 100, executions_per_month: 10_000, ...limits } },
    owner: { email: `owner@${slug}.test`, name: "Probe owner", password },
  });
  return {
    id: created.tenant.id,
    slug,
    host: `${slug}.localhost`,
    origin: `http://${slug}.localhost:${PORT}`,
    owner: { id: created.owner.id, email: created.owner.email, password },
  };
}

/** tRPC calls on a probe's workspace with one session, from one source address; answers as `trpc` does. */
export interface Session {
  cookie: string;
  query: (procedure: string, input?: unknown) => ReturnType<typeof trpc>;
  mutate: (procedure: string, input?: unknown) => ReturnType<typeof trpc>;
}

export function sessionOn(tenant: ProbeTenant, cookie: string, from?: string): Session {
  const options = { host: tenant.host, origin: tenant.origin, cookie, from };
  return {
    cookie,
    query: (procedure, input) => trpc("query", procedure, input, options),
    mutate: (procedure, input) => trpc("mutation", procedure, input, options),
  };
}

/** Signs a member of a probe's workspace in (the owner unless `credentials`), from `from`. */
export async function signInTo(tenant: ProbeTenant, from: string, credentials: { email: string; password: string } = tenant.owner): Promise<Session> {
  const answer = await trpc("mutation", "auth.login", credentials, { host: tenant.host, origin: tenant.origin, from });
  return sessionOn(tenant, sessionCookieOf(answer), from);
}

/** Polls `read` until `done` holds (or throws after `timeoutMs`): for what the worker does in its own time. */
export async function pollUntil<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`pollUntil: not done after ${timeoutMs} ms; last value: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
