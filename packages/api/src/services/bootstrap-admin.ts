import { hashPassword, HybridDatabaseManager, systemAdminModel, type SystemAdminRow } from "@sigil/db";
import { email as emailSchema, password as passwordSchema } from "@sigil/validators";

export type BootstrapResult =
  | { status: "created"; admin: SystemAdminRow }
  | { status: "exists"; admin: SystemAdminRow }
  /** SIGIL_ADMIN_EMAIL is not set: nothing to do. */
  | { status: "skipped" };

/** A bootstrap setting is missing or invalid; the message says which and why. */
export class AdminBootstrapError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "AdminBootstrapError";
  }
}

/**
 * Creates the first system administrator from SIGIL_ADMIN_EMAIL / SIGIL_ADMIN_PASSWORD (and
 * SIGIL_ADMIN_NAME, optional) when no administrator with that email exists. Idempotent: an
 * existing administrator is left alone (its password is never overwritten from the environment).
 * Brings shared.sqlite's schema up to date first, so it works on a fresh data directory.
 *
 * Without SIGIL_ADMIN_EMAIL it does nothing; with it, the password is required and must have at
 * least 10 characters.
 */
export async function ensureSystemAdmin(env: Record<string, string | undefined>): Promise<BootstrapResult> {
  const rawEmail = env.SIGIL_ADMIN_EMAIL?.trim();
  if (!rawEmail) return { status: "skipped" };
  const email = emailSchema.safeParse(rawEmail);
  if (!email.success) throw new AdminBootstrapError(`SIGIL_ADMIN_EMAIL=${JSON.stringify(rawEmail)} is not a valid email address.`);
  await HybridDatabaseManager.getInstance().runSharedMigrations();
  const existing = await systemAdminModel.findByEmail(email.data);
  if (existing) return { status: "exists", admin: existing };
  const rawPassword = env.SIGIL_ADMIN_PASSWORD;
  if (rawPassword === undefined || rawPassword === "") {
    throw new AdminBootstrapError(`SIGIL_ADMIN_PASSWORD is required to create the system administrator ${email.data}.`);
  }
  const password = passwordSchema.safeParse(rawPassword);
  if (!password.success) {
    throw new AdminBootstrapError(`SIGIL_ADMIN_PASSWORD must have between 10 and 200 characters (it has ${rawPassword.length}).`);
  }
  const name = env.SIGIL_ADMIN_NAME?.trim() || "System administrator";
  const admin = await systemAdminModel.create({ email: email.data, name, passwordHash: await hashPassword(password.data) });
  return { status: "created", admin };
}
