import {
  apiKeyModel,
  digestsEqual,
  findApiKeyTenant,
  findSessionTenant,
  sessionModel,
  sha256,
  userModel,
  type ApiKeyRow,
  type TenantRow,
  type UserRow,
} from "@sigil/db";
import { TRPCError } from "@trpc/server";
import type { InnerContext } from "../context.ts";
import { parseApiKey } from "./api-key-format.ts";
import { SESSION_COOKIE } from "./cookies.ts";
import { apiKeyUsage } from "./usage-recorder.ts";

export type Identity =
  | { kind: "session"; user: UserRow; sessionId: string }
  | { kind: "apiKey"; user: UserRow; apiKey: ApiKeyRow };

const unauthorized = (message: string) => new TRPCError({ code: "UNAUTHORIZED", message });
const forbidden = (message: string) => new TRPCError({ code: "FORBIDDEN", message });

/**
 * Who is calling, inside the resolved tenant's context: an API key (Authorization: Bearer or
 * x-api-key) or a session cookie. A credential of another tenant is a 403; none, an unknown, a
 * revoked or an expired one is a 401.
 */
export async function authenticate(ctx: InnerContext, tenant: TenantRow): Promise<Identity> {
  if (ctx.request.apiKey !== null) return authenticateApiKey(ctx.request.apiKey, tenant);
  const token = ctx.request.cookies[SESSION_COOKIE];
  if (token) return authenticateSession(token, tenant);
  throw unauthorized("Sign in, or send an API key in the Authorization header.");
}

async function authenticateApiKey(plain: string, tenant: TenantRow): Promise<Identity> {
  const parsed = parseApiKey(plain);
  if (!parsed) throw unauthorized("The API key is malformed.");
  if (parsed.kind === "system") throw forbidden("A system administrator key works only on the admin host.");
  const owner = await findApiKeyTenant(parsed.keyId);
  if (owner === null) throw unauthorized("The API key is not valid.");
  if (owner !== tenant.id) throw forbidden("This API key belongs to another workspace.");
  const apiKey = await apiKeyModel.findByKeyId(parsed.keyId);
  if (!apiKey || !digestsEqual(apiKey.secretHash, parsed.secretHash)) throw unauthorized("The API key is not valid.");
  if (apiKey.status === "revoked") throw unauthorized("This API key was revoked.");
  if (apiKey.expiresAt && apiKey.expiresAt.getTime() <= Date.now()) throw unauthorized("This API key has expired.");
  const user = await userModel.findById(apiKey.userId);
  if (!user || user.status !== "active") throw unauthorized("The owner of this API key is no longer active.");
  apiKeyUsage.record(apiKey.id);
  return { kind: "apiKey", user, apiKey };
}

async function authenticateSession(token: string, tenant: TenantRow): Promise<Identity> {
  const tokenHash = sha256(token);
  const owner = await findSessionTenant(tokenHash);
  if (owner === null) throw unauthorized("Your session has ended. Sign in again.");
  if (owner !== tenant.id) throw forbidden("This session belongs to another workspace.");
  const session = await sessionModel.findByTokenHash(tokenHash);
  if (!session) throw unauthorized("Your session has ended. Sign in again.");
  if (session.expiresAt.getTime() <= Date.now()) {
    await sessionModel.delete(session.id);
    throw unauthorized("Your session has expired. Sign in again.");
  }
  const user = await userModel.findById(session.userId);
  if (!user || user.status !== "active") throw unauthorized("Your account is not active.");
  return { kind: "session", user, sessionId: session.id };
}
