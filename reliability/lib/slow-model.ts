/**
 * A stand-in for a model server that takes its time: an OpenAI-compatible `/chat/completions`
 * that answers after `delayMs`. The crash scenario's executions use it (as the tenants' provider
 * "slow"), so the worker is in the middle of executions when it is killed, and recovery has
 * `running` executions to put back; with the built-in template provider an execution is
 * `running` for a millisecond and a kill almost never finds one.
 */
import { createServer, type Server } from "node:http";

export interface SlowModel {
  url: string;
  requests: () => number;
  close: () => Promise<void>;
}

export async function startSlowModel(port: number, delayMs: number): Promise<SlowModel> {
  let requests = 0;
  const server: Server = createServer((req, res) => {
    requests += 1;
    req.resume();
    req.on("end", () => {
      setTimeout(() => {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ choices: [{ message: { role: "assistant", content: "slow answer" } }] }));
      }, delayMs);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  return {
    url: `http://127.0.0.1:${port}/v1`,
    requests: () => requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
