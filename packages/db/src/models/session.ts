import { eq } from "drizzle-orm";
import { HybridDatabaseManager } from "../hybrid-manager.ts";
import { sessions } from "../schema/shared/sessions.ts";
import type { RowOf } from "./base-model.ts";
import { SharedModel } from "./strategies.ts";

export type SessionRow = RowOf<typeof sessions>;

export class SessionModel extends SharedModel<typeof sessions> {
  constructor() {
    super(sessions);
  }

  async findByTokenHash(tokenHash: string): Promise<SessionRow | null> {
    return this.findOne({ tokenHash });
  }
}

export const sessionModel = new SessionModel();

/** Which tenant a session token belongs to, across tenants (to answer 403, not 401). */
export async function findSessionTenant(tokenHash: string): Promise<string | null> {
  const row = HybridDatabaseManager.getInstance()
    .getSharedDatabase()
    .select({ tenantId: sessions.tenantId })
    .from(sessions)
    .where(eq(sessions.tokenHash, tokenHash))
    .get();
  return row?.tenantId ?? null;
}
