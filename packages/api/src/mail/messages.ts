import type { TenantRow } from "@sigil/db";
import type { MailConfig } from "../config.ts";
import { workspaceLink, type MailMessage } from "./mailer.ts";

const expiryText = (expiresAt: Date) => `${expiresAt.toISOString().slice(0, 16).replace("T", " ")} UTC`;

export function invitationMail(config: MailConfig, tenant: TenantRow, invite: { email: string; name: string; token: string; expiresAt: Date }): MailMessage {
  const link = workspaceLink(config, tenant.slug, `/invite/${encodeURIComponent(invite.token)}`);
  return {
    to: invite.email,
    subject: `You are invited to ${tenant.name} on Sigil`,
    text: [
      `Hello ${invite.name},`,
      "",
      `You were invited to the Sigil workspace "${tenant.name}". Open this link to choose your password:`,
      "",
      link,
      "",
      `The link works once, until ${expiryText(invite.expiresAt)}.`,
    ].join("\n"),
  };
}

export function passwordResetMail(config: MailConfig, tenant: TenantRow, reset: { email: string; name: string; token: string; expiresAt: Date }): MailMessage {
  const link = workspaceLink(config, tenant.slug, `/reset-password/${encodeURIComponent(reset.token)}`);
  return {
    to: reset.email,
    subject: `Reset your Sigil password for ${tenant.name}`,
    text: [
      `Hello ${reset.name},`,
      "",
      `Someone asked to reset the password of your account in the Sigil workspace "${tenant.name}". Open this link to choose a new one:`,
      "",
      link,
      "",
      `The link works once, until ${expiryText(reset.expiresAt)}. If you did not ask for it, ignore this mail: your password stays as it is.`,
    ].join("\n"),
  };
}
