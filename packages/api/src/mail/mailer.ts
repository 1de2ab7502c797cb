import { createTransport, type Transporter } from "nodemailer";
import type { MailConfig } from "../config.ts";

/** One message of Sigil's: plain text, to one person. */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

/** One SMTP transport (a connection pool of nodemailer's) per mail configuration. */
const transports = new WeakMap<MailConfig, Transporter>();

function transportFor(config: MailConfig): Transporter {
  let transport = transports.get(config);
  if (!transport) {
    transport = createTransport({
      host: config.host,
      port: config.port,
      secure: config.secure,
      ...(config.auth ? { auth: config.auth } : {}),
      // A slow or unreachable server fails the send within seconds instead of hanging a request.
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 20_000,
    });
    transports.set(config, transport);
  }
  return transport;
}

/** Hands a message to the configured SMTP server; rejects with the server's refusal. */
export async function sendMail(config: MailConfig, message: MailMessage): Promise<void> {
  await transportFor(config).sendMail({ from: config.from, to: message.to, subject: message.subject, text: message.text });
}

/** An absolute link into a workspace, on the configured address (never the request's Host header). */
export function workspaceLink(config: MailConfig, slug: string, path: string): string {
  return `${config.workspaceUrl.replace("{slug}", slug)}${path}`;
}
