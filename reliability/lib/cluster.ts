/**
 * Several app servers on one PostgreSQL (issue 13, "several app servers"): each member is a whole
 * `pnpm start --skip-build` (web server + worker) on a port of its own and a data directory of its
 * own, all with the same DATABASE_URL and secret key, behind a round-robin HTTP proxy on the
 * suite's port. Nothing a request needs may live in one server's memory: sessions, lockouts, rate
 * limits, claims and usage counters are all in the database, so any member can answer any request.
 */
import { randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import { request, createServer, type IncomingMessage, type Server } from "node:http";
import { join } from "node:path";
import { Installation, type Deployment, type ServerProcesses } from "./installation.ts";

export interface ClusterOptions {
  /** The proxy's port, where clients connect; members listen on port + 10, + 11, … */
  port: number;
  members: number;
  /** A data directory per member is made under it (each holds only a work-signal file and logs). */
  dataDir: string;
  logDir: string;
  databaseUrl: string;
  env?: Record<string, string>;
}

export class Cluster implements Deployment {
  readonly members: Installation[];
  private proxy: Server | undefined;
  private next = 0;
  private crashes = 0;
  /** Requests the proxy sent to another member because the chosen one refused the connection. */
  rerouted = 0;

  constructor(readonly options: ClusterOptions) {
    // One key for every member: a secret sealed by one must open on the others.
    const secretKey = randomBytes(32).toString("base64");
    this.members = Array.from({ length: options.members }, (_, index) => {
      const dataDir = join(options.dataDir, `server-${index}`);
      mkdirSync(dataDir, { recursive: true });
      return new Installation({
        dataDir,
        port: options.port + 10 + index,
        logDir: options.logDir,
        logName: `server-${index}`,
        env: {
          DATABASE_URL: options.databaseUrl,
          SIGIL_SECRET_KEY: secretKey,
          // The slow model server listens beside the proxy, not beside each member.
          SIGIL_OUTBOUND_ALLOW: `127.0.0.1:${options.port + 1}`,
          ...options.env,
        },
      });
    });
  }

  tenantUrl(slug: string): string {
    return `http://${slug}.localhost:${this.options.port}`;
  }

  get adminUrl(): string {
    return `http://admin.localhost:${this.options.port}`;
  }

  /** Starts the members that are not running, one after the other (each migrates first), and the proxy. */
  async start(extraEnv: Record<string, string> = {}): Promise<{ ms: number }> {
    const started = performance.now();
    for (const member of this.members) if (!member.running) await member.start(extraEnv);
    this.proxy ??= await this.listen();
    return { ms: performance.now() - started };
  }

  async stop(): Promise<void> {
    await Promise.all(this.members.map((member) => member.stop()));
    await new Promise<void>((resolve) => (this.proxy ? this.proxy.close(() => resolve()) : resolve()));
    this.proxy = undefined;
  }

  /** kill -9 of one member's web server and worker, the members in turn; the others keep serving. */
  async crash(): Promise<void> {
    const member = this.members[this.crashes % this.members.length];
    this.crashes += 1;
    if (!member) throw new Error("The cluster has no members.");
    await member.crash();
  }

  servers(): ServerProcesses[] {
    return this.members.flatMap((member) => member.servers());
  }

  logPath(): string {
    return this.members.map((member) => member.logPath()).join(", ");
  }

  private listen(): Promise<Server> {
    const server = createServer((incoming, outgoing) => {
      void this.forward(incoming).then(
        (answer) => {
          outgoing.writeHead(answer.status, answer.headers);
          outgoing.end(answer.body);
        },
        (error: unknown) => {
          outgoing.writeHead(502, { "content-type": "text/plain" });
          outgoing.end(`No member answered: ${error instanceof Error ? error.message : String(error)}`);
        },
      );
    });
    return new Promise((resolve, reject) => {
      server.once("error", reject);
      server.listen(this.options.port, "127.0.0.1", () => resolve(server));
    });
  }

  /**
   * Sends the request to the next member, Host header and all (the tenant comes from it). A
   * member that refuses the connection (killed, or restarting) never saw the request: it goes to
   * the next one. A member that dies while answering is the client's lost answer, as it would be
   * behind any load balancer.
   */
  private async forward(incoming: IncomingMessage): Promise<{ status: number; headers: Record<string, string | string[]>; body: Buffer }> {
    const body = await collect(incoming);
    let lastError: unknown;
    for (let tried = 0; tried < this.members.length; tried += 1) {
      const member = this.members[this.next % this.members.length];
      this.next += 1;
      if (!member) continue;
      try {
        return await send(member.options.port, incoming, body);
      } catch (error) {
        if ((error as { code?: unknown }).code !== "ECONNREFUSED") throw error;
        this.rerouted += 1;
        lastError = error;
      }
    }
    throw lastError instanceof Error ? lastError : new Error("every member refused the connection");
  }
}

function collect(stream: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on("data", (chunk: Buffer) => chunks.push(chunk));
    stream.once("end", () => resolve(Buffer.concat(chunks)));
    stream.once("error", reject);
  });
}

function send(port: number, incoming: IncomingMessage, body: Buffer): Promise<{ status: number; headers: Record<string, string | string[]>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const headers = { ...incoming.headers, "content-length": String(body.length) };
    delete headers["transfer-encoding"];
    const outgoing = request({ host: "127.0.0.1", port, method: incoming.method, path: incoming.url, headers }, (response) => {
      collect(response).then((answer) => {
        const copied: Record<string, string | string[]> = {};
        for (const [name, value] of Object.entries(response.headers)) if (value !== undefined && name !== "transfer-encoding") copied[name] = value;
        copied["content-length"] = String(answer.length);
        resolve({ status: response.statusCode ?? 502, headers: copied, body: answer });
      }, reject);
    });
    outgoing.once("error", reject);
    outgoing.end(body);
  });
}
