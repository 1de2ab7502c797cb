import { createSigilClient, signIn, type SigilClient } from "@sigil/client";

/** Where the e2e web server runs (playwright.config.ts) and the demo logins (README.md). */
export const PORT = Number(process.env.E2E_PORT ?? 3210);
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

export function workspaceUrl(slug: string, path = "/"): string {
  return `http://${slug}.localhost:${PORT}${path}`;
}

export const ADMIN_URL = `http://admin.localhost:${PORT}`;

/** The typed client as another program would use it: for setting up what a test needs. */
export async function adminClient(): Promise<SigilClient> {
  const url = `http://localhost:${PORT}`;
  const { cookie } = await signIn({ url, admin: true, email: DEMO.admin.email, password: DEMO.admin.password });
  return createSigilClient({ url, admin: true, cookie });
}

export async function workspaceClient(slug: "acme" | "globex"): Promise<SigilClient> {
  const url = workspaceUrl(slug).replace(/\/$/, "");
  const { cookie } = await signIn({ url, email: DEMO[slug].email, password: DEMO[slug].password });
  return createSigilClient({ url, cookie });
}
