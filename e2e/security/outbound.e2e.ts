import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { isIP, type AddressInfo } from "node:net";
import { expect, test } from "@playwright/test";
import { createTenant, ownAddress, pollUntil, signInTo, type ProbeTenant, type Session } from "./support";

// Issue 7, item 3: a tenant admin saved a provider on a loopback or private address, the worker
// POSTed there with the key, and the execution showed the answer (an internal secret); closed
// and open ports answered differently. The e2e server sets no SIGIL_OUTBOUND_ALLOW.

const REFUSED_AT_SAVE = "Sigil connects only to public addresses";
const SECRET = "internal-secret-7f3a9c";

let tenant: ProbeTenant;
let owner: Session;
test.beforeAll(async () => {
  tenant = await createTenant("outbound");
  owner = await signInTo(tenant, ownAddress());
});

const provider = (identifier: string, baseUrl: string) => ({ identifier, baseUrl, apiKey: "sk-probe-key", defaultModel: "gpt-probe" });

for (const baseUrl of [
  "http://127.0.0.1:8080/v1",
  "http://2130706433/v1",
  "http://0x7f.1/v1",
  "http://[::ffff:127.0.0.1]/v1",
  "http://[::1]:8080/v1",
  "http://169.254.169.254/latest/meta-data",
  "http://10.0.0.5/v1",
  "http://localhost:11434/v1",
]) {
  test(`a provider base URL ${baseUrl} is refused when saved (400), and nothing is stored`, async () => {
    const saved = await owner.mutate("settings.saveProvider", provider("internal", baseUrl));
    expect(saved.status).toBe(400);
    expect(saved.message).toContain(REFUSED_AT_SAVE);
    const list = await owner.query("settings.list");
    expect((list.data as { providers: unknown[] }).providers).toEqual([]);
  });
}

/**
 * A name of /etc/hosts (other than localhost, which is refused when saved) for a loopback address:
 * saving it passes, since names are not resolved when saving, so only the guard at connect time
 * stands between the worker and 127.0.0.1. No DNS is asked: the system resolver reads /etc/hosts.
 */
function loopbackHostName(): string | undefined {
  let hosts = "";
  try {
    hosts = readFileSync("/etc/hosts", "utf8");
  } catch {
    return undefined;
  }
  for (const line of hosts.split("\n")) {
    const [address, ...names] = line.replace(/#.*/, "").trim().split(/\s+/);
    if (address === undefined || isIP(address) !== 4 || !address.startsWith("127.")) continue;
    const name = names.find((candidate) => /^[a-z][a-z0-9-]*$/i.test(candidate) && !/localhost/i.test(candidate));
    if (name) return name;
  }
  return undefined;
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve((server.address() as AddressInfo).port)));
}

async function closedPort(): Promise<number> {
  const server = createServer();
  const port = await listen(server);
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Runs the prompt with a provider and answers the execution once the worker has finished it. */
async function runWith(
  session: Session,
  promptId: string,
  providerIdentifier: string,
): Promise<{ status: string; error: string | null; result: string | null }> {
  const created = await session.mutate("executions.create", { promptId, input: {}, provider: providerIdentifier });
  expect(created.status, created.text).toBe(200);
  const { id } = created.data as { id: string };
  const finished = await pollUntil(
    () => session.query("executions.get", { id }),
    (answer) => ["completed", "failed"].includes((answer.data as { status: string }).status),
  );
  expect(finished.text).not.toContain(SECRET);
  return finished.data as { status: string; error: string | null; result: string | null };
}

test("a provider on a name that resolves to loopback is never contacted: its execution and a closed port's both show only 'could not be reached'", async () => {
  const name = loopbackHostName();
  test.skip(name === undefined, "no /etc/hosts name for a loopback address other than localhost (the guard's own tests cover names)");
  const hits: string[] = [];
  const secret = createServer((request, response) => {
    hits.push(`${request.method} ${request.url}`);
    response.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ error: { message: SECRET }, secret: SECRET }));
  });
  const secretPort = await listen(secret);
  try {
    const prompt = await owner.mutate("prompts.create", { name: "Probe", template: "Hello" });
    const promptId = (prompt.data as { id: string }).id;
    for (const [identifier, port] of [
      ["secret", secretPort],
      ["closed", await closedPort()],
    ] as const) {
      const saved = await owner.mutate("settings.saveProvider", provider(identifier, `http://${name}:${port}/v1`));
      expect(saved.status, saved.text).toBe(200);
    }
    const toSecret = await runWith(owner, promptId, "secret");
    const toClosed = await runWith(owner, promptId, "closed");
    expect(toSecret.status).toBe("failed");
    expect(toSecret.error).toBe('Provider "secret" (openai-compatible) could not be reached.');
    // The same words for an open and a closed port: nothing to scan ports with.
    expect(toClosed.error).toBe('Provider "closed" (openai-compatible) could not be reached.');
    expect(hits).toEqual([]);
  } finally {
    await new Promise((resolve) => secret.close(resolve));
  }
});
