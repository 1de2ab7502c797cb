import { eq, sql } from "drizzle-orm";
import type { SharedDatabase } from "../connection.ts";
import { HybridDatabaseManager } from "../hybrid-manager.ts";
import { apiKeys } from "../schema/shared/api-keys.ts";
import { sessions } from "../schema/shared/sessions.ts";
import { users } from "../schema/shared/users.ts";
import type { ApiKeyRow } from "./api-key.ts";
import type { SessionRow } from "./session.ts";
import type { UserRow } from "./user.ts";

/**
 * The only reads of shared tables that are not scoped by the tenant context: authentication must
 * find a credential before it can tell whether it belongs to the request's tenant (a credential
 * of another tenant is a 403, not a 401). Each returns the rows of the one credential presented,
 * with their tenant_id, for the caller to compare; nothing else. Prepared once per connection:
 * they run on every request.
 */
function prepare(db: SharedDatabase) {
  return {
    apiKey: db
      .select({ apiKey: apiKeys, user: users })
      .from(apiKeys)
      .innerJoin(users, eq(users.id, apiKeys.userId))
      .where(eq(apiKeys.keyId, sql.placeholder("keyId")))
      .prepare(),
    session: db
      .select({ session: sessions, user: users })
      .from(sessions)
      .innerJoin(users, eq(users.id, sessions.userId))
      .where(eq(sessions.tokenHash, sql.placeholder("tokenHash")))
      .prepare(),
  };
}

const statements = new WeakMap<SharedDatabase, ReturnType<typeof prepare>>();

function statementsFor(db: SharedDatabase): ReturnType<typeof prepare> {
  let prepared = statements.get(db);
  if (!prepared) {
    prepared = prepare(db);
    statements.set(db, prepared);
  }
  return prepared;
}

/** An API key by its public id, with its owner, whatever the tenant. */
export async function findApiKeyForAuthentication(keyId: string): Promise<{ apiKey: ApiKeyRow; user: UserRow } | null> {
  const db = HybridDatabaseManager.getInstance().getSharedDatabase();
  return statementsFor(db).apiKey.get({ keyId }) ?? null;
}

/** A session by its token hash, with its user, whatever the tenant. */
export async function findSessionForAuthentication(tokenHash: string): Promise<{ session: SessionRow; user: UserRow } | null> {
  const db = HybridDatabaseManager.getInstance().getSharedDatabase();
  return statementsFor(db).session.get({ tokenHash }) ?? null;
}
