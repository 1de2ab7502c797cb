import { eq, sql } from "drizzle-orm";
import { compiled } from "../engine/compiled.ts";
import { HybridDatabaseManager } from "../hybrid-manager.ts";
import type { ApiKeyRow } from "./api-key.ts";
import type { SessionRow } from "./session.ts";
import type { UserRow } from "./user.ts";

/**
 * The only reads of shared tables that are not scoped by the tenant context: authentication must
 * find a credential before it can tell whether it belongs to the request's tenant (a credential
 * of another tenant is a 403, not a 401). Each returns the rows of the one credential presented,
 * with their tenant_id, for the caller to compare; nothing else. Compiled once per connection:
 * they run on every request.
 */

/** An API key by its public id, with its owner, whatever the tenant. */
export async function findApiKeyForAuthentication(keyId: string): Promise<{ apiKey: ApiKeyRow; user: UserRow } | null> {
  return HybridDatabaseManager.getInstance()
    .sharedStore()
    .session("read", async (s) => {
      const query = compiled(s, "authentication.apiKey", () =>
        s.db
          .select({ apiKey: s.t.apiKeys, user: s.t.users })
          .from(s.t.apiKeys)
          .innerJoin(s.t.users, eq(s.t.users.id, s.t.apiKeys.userId))
          .where(eq(s.t.apiKeys.keyId, sql.placeholder("keyId"))),
      );
      const [row] = await query.execute({ keyId });
      return row ?? null;
    });
}

/** A session by its token hash, with its user, whatever the tenant. */
export async function findSessionForAuthentication(tokenHash: string): Promise<{ session: SessionRow; user: UserRow } | null> {
  return HybridDatabaseManager.getInstance()
    .sharedStore()
    .session("read", async (s) => {
      const query = compiled(s, "authentication.session", () =>
        s.db
          .select({ session: s.t.sessions, user: s.t.users })
          .from(s.t.sessions)
          .innerJoin(s.t.users, eq(s.t.users.id, s.t.sessions.userId))
          .where(eq(s.t.sessions.tokenHash, sql.placeholder("tokenHash"))),
      );
      const [row] = await query.execute({ tokenHash });
      return row ?? null;
    });
}
