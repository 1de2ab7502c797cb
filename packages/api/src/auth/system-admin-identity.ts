import { digestsEqual, sha256, systemAdminModel, systemAdminSessionModel, systemApiKeyModel, type SystemAdminRow } from "@sigil/db";
import { TRPCError } from "@trpc/server";
import type { InnerContext } from "../context.ts";
import { parseApiKey } from "./api-key-format.ts";
import { ADMIN_SESSION_COOKIE } from "./cookies.ts";

export type SystemAdminIdentity = { admin: SystemAdminRow; via: "session" } | { admin: SystemAdminRow; via: "apiKey"; apiKeyId: string };

const unauthorized = (message: string) => new TRPCError({ code: "UNAUTHORIZED", message });

/** A system administrator's session cookie or `sgla_` API key. */
export async function authenticateSystemAdmin(ctx: InnerContext): Promise<SystemAdminIdentity> {
  if (ctx.request.apiKey !== null) {
    const parsed = parseApiKey(ctx.request.apiKey);
    if (!parsed || parsed.kind !== "system") throw new TRPCError({ code: "FORBIDDEN", message: "Only a system administrator key works on the admin host." });
    const key = await systemApiKeyModel.findByKeyId(parsed.keyId);
    if (!key || key.status !== "active" || !digestsEqual(key.secretHash, parsed.secretHash)) throw unauthorized("The API key is not valid.");
    const admin = await systemAdminModel.findById(key.adminId);
    if (!admin) throw unauthorized("The API key is not valid.");
    await systemApiKeyModel.recordUse(key.id);
    return { admin, via: "apiKey", apiKeyId: key.id };
  }
  const token = ctx.request.cookies[ADMIN_SESSION_COOKIE];
  if (!token) throw unauthorized("Sign in as a system administrator.");
  const session = await systemAdminSessionModel.findByTokenHash(sha256(token));
  if (!session || session.expiresAt.getTime() <= Date.now()) throw unauthorized("Your session has ended. Sign in again.");
  const admin = await systemAdminModel.findById(session.adminId);
  if (!admin) throw unauthorized("Your session has ended. Sign in again.");
  return { admin, via: "session" };
}
