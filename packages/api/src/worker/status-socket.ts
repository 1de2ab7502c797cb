import { existsSync, rmSync } from "node:fs";
import { createConnection, createServer, type Server } from "node:net";
import { join } from "node:path";

/**
 * The worker's status socket (README: Operating it, Readiness): a Unix socket, `worker.sock` in
 * DATA_DIR unless WORKER_STATUS_SOCKET names another path, on which the worker answers a one-line
 * command. The web server's `/api/ready` asks `status` (a worker that answers within the timeout
 * has a live, unblocked event loop) and `/api/metrics` asks `metrics` (the worker's own series).
 *
 * Why a socket and not a heartbeat row: the idle worker must do nothing at all (README: Memory and
 * CPU at rest), and a heartbeat needs a timer. A listening socket costs nothing until asked.
 */
export type StatusCommand = "status" | "metrics";

export interface StatusAnswers {
  status: () => string;
  metrics: () => Promise<string>;
}

export interface StatusSocket {
  readonly path: string;
  close(): Promise<void>;
}

/** How long a request may take to send its command line before the worker hangs up. */
const COMMAND_TIMEOUT_MS = 2_000;

function answering(path: string, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection(path);
    const done = (alive: boolean) => {
      socket.destroy();
      resolve(alive);
    };
    socket.setTimeout(timeoutMs, () => done(true));
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });
}

/**
 * Listens on `path`. A socket file left by a worker that died is replaced; one that another live
 * worker answers on is left alone (several workers may share a data directory): the promise then
 * rejects with a message saying so, and this worker runs without a status socket.
 */
export async function startStatusSocket(path: string, answers: StatusAnswers): Promise<StatusSocket> {
  if (existsSync(path)) {
    if (await answering(path, 500)) throw new Error(`Another worker already answers on ${path}; this one serves no status socket.`);
    rmSync(path, { force: true });
  }
  const server: Server = createServer((connection) => {
    connection.setTimeout(COMMAND_TIMEOUT_MS, () => connection.destroy());
    let received = "";
    connection.on("data", (chunk: Buffer) => {
      received += chunk.toString("utf8");
      if (received.length > 64) connection.destroy();
      const end = received.indexOf("\n");
      if (end === -1) return;
      const command = received.slice(0, end).trim();
      connection.removeAllListeners("data");
      answer(command, answers).then(
        (text) => connection.end(text),
        (error: unknown) => connection.end(`error ${error instanceof Error ? error.message : String(error)}`),
      );
    });
    connection.on("error", () => connection.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(path, () => {
      server.off("error", reject);
      resolve();
    });
  });
  return {
    path,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

async function answer(command: string, answers: StatusAnswers): Promise<string> {
  if (command === "status") return answers.status();
  if (command === "metrics") return answers.metrics();
  return `error unknown command ${JSON.stringify(command.slice(0, 20))}`;
}

/** The status socket's path: WORKER_STATUS_SOCKET, else `worker.sock` in the data directory. */
export function workerSocketPath(configured: string | null, dataDir: string): string {
  return configured ?? join(dataDir, "worker.sock");
}

/** Asks the worker on `path`; rejects with a sentence when nobody answers within `timeoutMs`. */
export function askWorker(path: string, command: StatusCommand, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = createConnection(path);
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`the worker did not answer within ${timeoutMs} ms`));
    }, timeoutMs);
    socket.once("connect", () => socket.write(`${command}\n`));
    socket.on("data", (chunk: Buffer) => chunks.push(chunk));
    socket.once("end", () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks).toString("utf8"));
    });
    socket.once("error", (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      const missing = error.code === "ENOENT" || error.code === "ECONNREFUSED";
      // No path in the sentence: /api/ready shows it to anyone.
      reject(new Error(missing ? "no worker is listening on the status socket" : `the worker's status socket failed (${error.code ?? "error"})`));
    });
  });
}
