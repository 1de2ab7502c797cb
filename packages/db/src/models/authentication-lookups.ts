import { eq } from "drizzle-orm";
import { HybridDatabaseManager } from "../hybrid-manager.ts";
import type { ApiKeyRow } from "./api-key.ts";
import type { SessionRow } from "./session.ts";
import type { UserRow } from "./user.ts";

/**
 * The only reads of shared tables that are not scoped by the tenant context: authentication must
 * find a credential before it can tell whether it belongs to the request's tenant (a credential
 * of another tenant is a 403, not a 401). Each returns the rows of the one credential presented,
 * with their tenant_id, for the caller to compare; nothing else.
 */

/** An API key by its public id, with its owner, whatever the tenant. */
export async function findApiKeyForAuthentication(keyId: string): Promise<{ apiKey: ApiKeyRow; user: UserRow } | null> {
  return HybridDatabaseManager.getInstance()
    .sharedStore()
    .session("read", async ({ db, t }) => {
      const [row] = await db
        .select({ apiKey: t.apiKeys, user: t.users })
        .from(t.apiKeys)
        .innerJoin(t.users, eq(t.users.id, t.apiKeys.userId))
        .where(eq(t.apiKeys.keyId, keyId));
      return row ?? null;
    });
}

/** A session by its token hash, with its user, whatever the tenant. */
export async function findSessionForAuthentication(tokenHash: string): Promise<{ session: SessionRow; user: UserRow } | null> {
  return HybridDatabaseManager.getInstance()
    .sharedStore()
    .session("read", async ({ db, t }) => {
      const [row] = await db
        .select({ session: t.sessions, user: t.users })
        .from(t.sessions)
        .innerJoin(t.users, eq(t.users.id, t.sessions.userId))
        .where(eq(t.sessions.tokenHash, tokenHash));
      return row ?? null;
    });
}
