import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
// Test-only use of the server (a devDependency): the client itself imports only its types.
import { ensureSystemAdmin, MAX_BATCH_SIZE as API_MAX_BATCH_SIZE } from "@sigil/api";
import { startApiServer } from "@sigil/api/http";
import { afterAll, beforeAll, describe, expect, expectTypeOf, test } from "vitest";
import {
  closeSigilConnections,
  createSigilClient,
  isLocalhostName,
  MAX_BATCH_SIZE,
  resolveBaseUrl,
  signIn,
  TRPCClientError,
  type AppRouter,
  type RouterOutputs,
  type SigilClient,
} from "../src/index.ts";

const ADMIN = { email: "root@sigil.test", password: "client-test-admin-password" };
const OWNER_PASSWORD = "owner-password-123";

let dataDir: string;
let server: Awaited<ReturnType<typeof startApiServer>>;
let port: number;
let adminKey: string;
const keys: Record<"acme" | "globex", string> = { acme: "", globex: "" };
let acmeCookie: string;

function tenantInput(slug: string) {
  return {
    name: `${slug} Inc.`,
    slug,
    plan: "pro" as const,
    settings: { features: [], limits: { users: 10, storage: 100, executions_per_month: 1_000 } },
    owner: { email: `owner@${slug}.test`, name: `Owner of ${slug}`, password: OWNER_PASSWORD },
  };
}

/** The error a promise rejects with (fails the test if it resolves). */
async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error("expected the call to fail");
}

/** `instanceof` the exported class, typed with the router so `data.code` and the rest are checked. */
function isClientError(error: unknown): error is TRPCClientError<AppRouter> {
  return error instanceof TRPCClientError;
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), "sigil-client-test-"));
  // Read when the server first touches storage, i.e. below.
  process.env.DATA_DIR = dataDir;
  await ensureSystemAdmin({ SIGIL_ADMIN_EMAIL: ADMIN.email, SIGIL_ADMIN_PASSWORD: ADMIN.password });
  server = await startApiServer(0, "127.0.0.1");
  port = Number(new URL(server.url).port);

  // The admin signs in on admin.localhost (resolved by the client's lookup) and makes an sgla_ key.
  const { cookie } = await signIn({ url: `http://localhost:${port}`, admin: true, ...ADMIN });
  const adminByCookie = createSigilClient({ url: `http://localhost:${port}`, admin: true, cookie });
  adminKey = (await adminByCookie.admin.createApiKey.mutate({ name: "client tests" })).key;
  const admin = createSigilClient({ url: `http://admin.localhost:${port}`, apiKey: adminKey });
  for (const slug of ["acme", "globex"] as const) {
    await admin.tenants.create.mutate(tenantInput(slug));
    // Each owner signs in and creates a tenant API key through the typed client.
    const owner = await signIn({ url: `http://127.0.0.1:${port}`, tenant: slug, email: `owner@${slug}.test`, password: OWNER_PASSWORD });
    if (slug === "acme") acmeCookie = owner.cookie;
    const byCookie = createSigilClient({ url: `http://127.0.0.1:${port}`, tenant: slug, cookie: owner.cookie });
    keys[slug] = (await byCookie.apiKeys.create.mutate({ name: "ci", scopes: ["prompts:read", "prompts:preview"] })).plainKey;
  }
});

afterAll(async () => {
  await closeSigilConnections();
  await server.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("createSigilClient against a real server", () => {
  test("calls made in one tick beyond the API's batch cap are split into several batches, and all answer", async () => {
    const client = createSigilClient({ url: `http://acme.localhost:${port}`, apiKey: keys.acme });
    const answers = await Promise.all(Array.from({ length: MAX_BATCH_SIZE * 2 + 5 }, () => client.auth.me.query()));
    expect(answers.every((answer) => answer.tenant.slug === "acme")).toBe(true);
    expect(MAX_BATCH_SIZE).toBe(API_MAX_BATCH_SIZE);
  });

  test("an API key on http://acme.localhost:<port>: auth.me is typed and names acme", async () => {
    const client = createSigilClient({ url: `http://acme.localhost:${port}`, apiKey: keys.acme });
    const me = await client.auth.me.query();
    expectTypeOf(me).toEqualTypeOf<RouterOutputs["auth"]["me"]>();
    expectTypeOf(me.user.email).toEqualTypeOf<string>();
    expectTypeOf(me.user.createdAt).toEqualTypeOf<Date>();
    expect(me.tenant.slug).toBe("acme");
    expect(me.via).toBe("apiKey");
    expect(me.scopes).toEqual(["prompts:read", "prompts:preview"]);
    // superjson: dates arrive as Date objects.
    expect(me.user.createdAt).toBeInstanceOf(Date);
  });

  test("a session cookie on http://127.0.0.1:<port> with tenant: writes and reads prompts", async () => {
    const client = createSigilClient({ url: `http://127.0.0.1:${port}`, tenant: "acme", cookie: acmeCookie });
    const me = await client.auth.me.query();
    expect(me).toMatchObject({ via: "session", user: { email: "owner@acme.test", role: "admin" }, tenant: { slug: "acme" } });
    // A cookie mutation: the client sends Origin = the URL's origin, which the server requires.
    const prompt = await client.prompts.create.mutate({ name: "Greeting", template: "Hello {{name}}!" });
    expectTypeOf(prompt.id).toEqualTypeOf<string>();
    const byKey = createSigilClient({ url: `http://acme.localhost:${port}`, apiKey: keys.acme });
    const page = await byKey.prompts.list.query({ page: 1, pageSize: 10 });
    expect(page.data.map((p) => p.name)).toEqual(["Greeting"]);
    const preview = await byKey.prompts.preview.mutate({ id: prompt.id, variables: { name: "Ada" } });
    expect(preview.rendered).toBe("Hello Ada!");
    // Another tenant sees none of it.
    const globex = createSigilClient({ url: `http://globex.localhost:${port}`, apiKey: keys.globex });
    expect((await globex.prompts.list.query({ page: 1, pageSize: 10 })).data).toEqual([]);
  });

  test("calls made together are batched and each gets its own result", async () => {
    const acme = createSigilClient({ url: `http://127.0.0.1:${port}/tenant/acme`, apiKey: keys.acme });
    const [me, list] = await Promise.all([acme.auth.me.query(), acme.prompts.list.query({ page: 1, pageSize: 5 })]);
    expect(me.tenant.slug).toBe("acme");
    expect(list.total).toBe(1);
  });

  test("another tenant's key is a TRPCClientError with data.code FORBIDDEN", async () => {
    const client = createSigilClient({ url: `http://acme.localhost:${port}`, apiKey: keys.globex });
    const error = await rejection(client.auth.me.query());
    expect(error).toBeInstanceOf(TRPCClientError);
    if (!isClientError(error)) return;
    expect(error.data?.code).toBe("FORBIDDEN");
    expect(error.data?.httpStatus).toBe(403);
    expect(error.message).toMatch(/another workspace/);
    // The same with the x-tenant-id header.
    const byHeader = createSigilClient({ url: `http://127.0.0.1:${port}`, tenant: "globex", apiKey: keys.acme });
    const headerError = await rejection(byHeader.auth.me.query());
    expect(isClientError(headerError) && headerError.data?.code).toBe("FORBIDDEN");
  });

  test("zod field errors and unknown tenants come back typed", async () => {
    const client = createSigilClient({ url: `http://nope.localhost:${port}`, apiKey: keys.acme });
    const notFound = await rejection(client.auth.me.query());
    expect(isClientError(notFound) && notFound.data?.code).toBe("NOT_FOUND");
    const admin = createSigilClient({ url: `http://admin.localhost:${port}`, apiKey: adminKey });
    // @ts-expect-error -- the slug must be a string: the client is typed from AppRouter's inputs.
    const invalid = await rejection(admin.tenants.create.mutate({ ...tenantInput("x"), slug: 42 }));
    expect(isClientError(invalid) && invalid.data?.code).toBe("BAD_REQUEST");
    expect(isClientError(invalid) && invalid.data?.zodError?.fieldErrors).toHaveProperty("slug");
  });

  test("admin procedures through an sgla_ key: typed tenants list with usage and stats", async () => {
    const admin: SigilClient = createSigilClient({ url: `http://localhost:${port}`, admin: true, apiKey: adminKey });
    const page = await admin.tenants.list.query({ sort: "slug" });
    const tenants = page.tenants;
    expectTypeOf(tenants[0]?.usage.users).toEqualTypeOf<number | undefined>();
    expectTypeOf(page.total).toEqualTypeOf<number>();
    expect(tenants.map((t) => t.slug)).toEqual(["acme", "globex"]);
    expect(page.total).toBe(2);
    const acme = tenants.find((t) => t.slug === "acme");
    expect(acme?.usage).toMatchObject({ users: 1, unavailable: null, schema: { state: "up_to_date" } });
    expect(acme?.created_at).toBeInstanceOf(Date);
    const stats = await admin.admin.stats.query();
    expect(stats.tenants.total).toBe(2);
    expect(stats.tenants.byStatus.active).toBe(2);
    // A tenant key is refused on the admin host; an admin key on a tenant host.
    const wrongKey = await rejection(createSigilClient({ url: `http://admin.localhost:${port}`, apiKey: keys.acme }).tenants.list.query());
    expect(isClientError(wrongKey) && wrongKey.data?.code).toBe("FORBIDDEN");
    const wrongHost = await rejection(createSigilClient({ url: `http://acme.localhost:${port}`, apiKey: adminKey }).tenants.list.query());
    expect(isClientError(wrongHost) && wrongHost.data?.code).toBe("FORBIDDEN");
  });

  test("a wrong password is a TRPCClientError UNAUTHORIZED from signIn", async () => {
    const error = await rejection(signIn({ url: `http://acme.localhost:${port}`, email: "owner@acme.test", password: "wrong-password" }));
    expect(isClientError(error) && error.data?.code).toBe("UNAUTHORIZED");
  });
});

describe("options", () => {
  test("localhost names", () => {
    expect(isLocalhostName("localhost")).toBe(true);
    expect(isLocalhostName("acme.localhost")).toBe(true);
    expect(isLocalhostName("ACME.LOCALHOST.")).toBe(true);
    expect(isLocalhostName("localhost.example.com")).toBe(false);
    expect(isLocalhostName("evil-localhost")).toBe(false);
  });

  test("base URLs", () => {
    expect(resolveBaseUrl({ url: "http://localhost:3000/", admin: true }).href).toBe("http://admin.localhost:3000/");
    expect(resolveBaseUrl({ url: "http://admin.localhost:3000", admin: true }).host).toBe("admin.localhost:3000");
    expect(resolveBaseUrl({ url: "http://127.0.0.1:3000/tenant/acme/" }).href).toBe("http://127.0.0.1:3000/tenant/acme");
    expect(() => resolveBaseUrl({ url: "http://127.0.0.1:3000", admin: true })).toThrow(/host name/);
    expect(() => resolveBaseUrl({ url: "http://localhost:3000", admin: true, tenant: "acme" })).toThrow(/exclude/);
    expect(() => resolveBaseUrl({ url: "acme.localhost:3000" })).toThrow();
    expect(() => createSigilClient({ url: "http://localhost:3000", apiKey: "k", cookie: "c=1" })).toThrow(/either/);
  });
});
