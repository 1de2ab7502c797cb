import { digestsEqual, RequestPathLookups, findSessionForAuthentication, sessionModel, sha256, type ApiKeyRow, type TenantRow, type UserRow } from "@sigil/db";
import { TRPCError } from "@trpc/server";
import type { InnerContext } from "../context.ts";
import { parseApiKey } from "./api-key-format.ts";
import { SESSION_COOKIE } from "./cookies.ts";
import { apiKeyUsage } from "./usage-recorder.ts";

export type Identity = { kind: "session"; user: UserRow; sessionId: string } | { kind: "apiKey"; user: UserRow; apiKey: ApiKeyRow };

const unauthorized = (message: string) => new TRPCError({ code: "UNAUTHORIZED", message });
const forbidden = (message: string) => new TRPCError({ code: "FORBIDDEN", message });

/**
 * Who is calling, inside the resolved tenant's context: an API key (Authorization: Bearer or
 * x-api-key) or a session cookie. A credential of another tenant is a 403; none, an unknown, a
 * revoked or an expired one is a 401.
 */
export async function authenticate(ctx: InnerContext, tenant: TenantRow): Promise<Identity> {
  if (ctx.request.apiKey !== null) return authenticateApiKey(ctx.request.apiKey, tenant, ctx.lookups);
  const token = ctx.request.cookies[SESSION_COOKIE];
  if (token) return authenticateSession(token, tenant);
  throw unauthorized("Sign in, or send an API key in the Authorization header.");
}

/**
 * Verifies an API key for `tenant`: the key and its owner by key id (cached while nothing that
 * decides its validity changed, @sigil/db: request-path-cache.ts), a constant-time hash compare.
 * `lookups`: the request's, which read the cache's generation for its tenant already.
 */
export async function authenticateApiKey(plain: string, tenant: TenantRow, lookups = new RequestPathLookups()): Promise<Identity> {
  const parsed = parseApiKey(plain);
  if (!parsed) throw unauthorized("The API key is malformed.");
  if (parsed.kind === "system") throw forbidden("A system administrator key works only on the admin host.");
  const found = await lookups.apiKey(parsed.keyId);
  if (!found || !digestsEqual(found.apiKey.secretHash, parsed.secretHash)) throw unauthorized("The API key is not valid.");
  const { apiKey, user } = found;
  if (apiKey.tenantId !== tenant.id) throw forbidden("This API key belongs to another workspace.");
  if (apiKey.status === "revoked") throw unauthorized("This API key was revoked.");
  if (apiKey.expiresAt && apiKey.expiresAt.getTime() <= Date.now()) throw unauthorized("This API key has expired.");
  if (user.status !== "active") throw unauthorized("The owner of this API key is no longer active.");
  apiKeyUsage.record(apiKey.id);
  return { kind: "apiKey", user, apiKey };
}

async function authenticateSession(token: string, tenant: TenantRow): Promise<Identity> {
  const found = await findSessionForAuthentication(sha256(token));
  if (!found) throw unauthorized("Your session has ended. Sign in again.");
  const { session, user } = found;
  if (session.tenantId !== tenant.id) throw forbidden("This session belongs to another workspace.");
  if (session.expiresAt.getTime() <= Date.now()) {
    await sessionModel.delete(session.id);
    throw unauthorized("Your session has expired. Sign in again.");
  }
  if (user.status !== "active") throw unauthorized("Your account is not active.");
  return { kind: "session", user, sessionId: session.id };
}
