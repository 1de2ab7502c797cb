import { createSigilClient, signIn, type SigilClient } from "@sigil/client";

/** Where the e2e web server runs (playwright.config.ts) and the demo logins (README.md). */
export const PORT = Number(process.env.E2E_PORT ?? 3210);
/** The second e2e web server, on a private PostgreSQL (playwright.config.ts, project `postgres`). */
export const POSTGRES_PORT = PORT + 1;
export const DEMO = {
  acme: { email: "owner@acme.test", password: "acme-demo-password" },
  globex: { email: "owner@globex.test", password: "globex-demo-password" },
  admin: { email: "admin@sigil.test", password: "sigil-admin-password" },
} as const;

/**
 * Ports of the local servers scenarios start themselves (fake providers, webhook receivers), on
 * 127.0.0.1: the web server's outbound guard allows exactly these (playwright.config.ts).
 */
export const FAKE_PORTS = {
  openai: PORT + 11,
  anthropic: PORT + 12,
  gemini: PORT + 13,
  ollama: PORT + 14,
  webhookReceiver: PORT + 15,
  spare: PORT + 16,
} as const;

/** `port`: which e2e web server (PORT, or POSTGRES_PORT for the `postgres` project). */
export function workspaceUrl(slug: string, path = "/", port = PORT): string {
  return `http://${slug}.localhost:${port}${path}`;
}

export function adminUrl(port = PORT): string {
  return `http://admin.localhost:${port}`;
}

export const ADMIN_URL = adminUrl();

/** The typed client as another program would use it: for setting up what a test needs. */
export async function adminClient(port = PORT): Promise<SigilClient> {
  const url = `http://localhost:${port}`;
  const { cookie } = await signIn({ url, admin: true, email: DEMO.admin.email, password: DEMO.admin.password });
  return createSigilClient({ url, admin: true, cookie });
}

export async function workspaceClient(slug: "acme" | "globex", port = PORT): Promise<SigilClient> {
  const url = workspaceUrl(slug, "", port);
  const { cookie } = await signIn({ url, email: DEMO[slug].email, password: DEMO[slug].password });
  return createSigilClient({ url, cookie });
}
