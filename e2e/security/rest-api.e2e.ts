import { expect, test } from "@playwright/test";
import { PORT } from "../support/env";
import { send, signInCookie, trpc } from "./support";

// The REST API (/api/v1) on the live server: the same tenant identification, credentials, Origin
// rule and body limits as tRPC, every error in the documented { code, message } shape.

const json = (text: string) => JSON.parse(text) as Record<string, unknown>;

test("the OpenAPI document names this host as its server; REST without a workspace or credential is refused with code and message", async () => {
  const spec = await send({ path: "/api/v1/openapi.json" });
  expect(spec.status).toBe(200);
  const document = json(spec.text) as { openapi: string; servers: { url: string }[]; paths: Record<string, unknown> };
  expect(document.openapi).toBe("3.1.0");
  expect(document.servers[0]?.url).toBe(`http://localhost:${PORT}/api/v1`);
  expect(Object.keys(document.paths)).toContain("/prompt-versions/by-name");

  const noWorkspace = await send({ path: "/api/v1/prompts" });
  expect(noWorkspace.status).toBe(400);
  expect(json(noWorkspace.text)).toMatchObject({ code: "BAD_REQUEST" });
  const anonymous = await send({ path: "/api/v1/prompts", host: "acme.localhost" });
  expect(anonymous.status).toBe(401);
  expect(json(anonymous.text)).toMatchObject({ code: "UNAUTHORIZED", message: "Sign in, or send an API key in the Authorization header." });
  const disagreeing = await send({ path: "/tenant/globex/api/v1/prompts", host: "acme.localhost" });
  expect(disagreeing.status).toBe(400);
  expect(json(disagreeing.text)).toMatchObject({ code: "BAD_REQUEST" });
});

test("a key works on its workspace by header, host or path prefix without an Origin, and is refused on another workspace", async () => {
  const cookie = await signInCookie();
  const created = await trpc(
    "mutation",
    "apiKeys.create",
    { name: `rest probe ${Date.now()}`, scopes: ["prompts:read", "files:upload"] },
    { host: "acme.localhost", cookie, origin: `http://acme.localhost:${PORT}` },
  );
  const key = (created.data as { plainKey: string }).plainKey;
  const auth = { authorization: `Bearer ${key}` };
  for (const request of [
    { path: "/api/v1/prompts", headers: { ...auth, "x-tenant-id": "acme" } },
    { path: "/api/v1/prompts", host: "acme.localhost", headers: auth },
    { path: "/tenant/acme/api/v1/prompts", headers: auth },
  ]) {
    const answer = await send(request);
    expect(answer.status, JSON.stringify(request)).toBe(200);
    expect(json(answer.text)).toHaveProperty("data");
  }
  const foreign = await send({ path: "/api/v1/prompts", host: "globex.localhost", headers: auth });
  expect(foreign.status).toBe(403);
  expect(json(foreign.text)).toMatchObject({ code: "FORBIDDEN", message: "This API key belongs to another workspace." });

  const upload = (headers: Record<string, string>, bytes: number) =>
    send({
      method: "POST",
      path: "/api/v1/files",
      host: "acme.localhost",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify({ name: "probe.txt", mimeType: "text/plain", contentBase64: Buffer.alloc(bytes, 65).toString("base64") }),
    });
  // Over the general body limit (1 MB) but within the upload limit: the upload route takes it.
  const big = await upload(auth, 1_200_000);
  expect(big.status, big.text).toBe(200);
  // A browser session's write needs its own Origin, as over tRPC.
  const crossSite = await upload({ cookie, origin: "http://evil.localhost" }, 10);
  expect(crossSite.status).toBe(403);
  expect(json(crossSite.text)).toMatchObject({ code: "FORBIDDEN" });
  const sameSite = await upload({ cookie, origin: `http://acme.localhost:${PORT}` }, 10);
  expect(sameSite.status).toBe(200);
  for (const file of [big, sameSite]) {
    await trpc("mutation", "files.delete", { id: json(file.text).id }, { host: "acme.localhost", cookie, origin: `http://acme.localhost:${PORT}` });
  }
});
