import { request as httpRequest } from "node:http";
import { connect } from "node:net";
import superjson from "superjson";
import { DEMO, PORT } from "../support/env";

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** One HTTP request to the server on 127.0.0.1 with any Host header (Node cannot resolve *.localhost). */
export function send(options: { method?: string; path: string; host?: string; headers?: Record<string, string>; body?: string | Buffer }): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: "127.0.0.1",
        port: PORT,
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
  options: { host?: string; cookie?: string; origin?: string; headers?: Record<string, string> } = {},
): Promise<Answer & { message: string | undefined; data: unknown }> {
  const serialized = JSON.stringify(superjson.serialize(input));
  const headers: Record<string, string> = { ...options.headers };
  if (options.cookie) headers.cookie = options.cookie;
  if (options.origin) headers.origin = options.origin;
  const answer =
    type === "query"
      ? await send({ path: `/api/trpc/${procedure}?input=${encodeURIComponent(serialized)}`, host: options.host, headers })
      : await send({
          method: "POST",
          path: `/api/trpc/${procedure}`,
          host: options.host,
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
  const answer = await trpc("mutation", "auth.login", DEMO.acme, { host: "acme.localhost", origin: `http://acme.localhost:${PORT}`, headers });
  const line = [answer.headers["set-cookie"] ?? []].flat()[0];
  if (answer.status !== 200 || !line) throw new Error(`sign-in failed: ${answer.status} ${answer.text}`);
  return line.split(";")[0] ?? "";
}
