import { and, eq, gt, isNull, lt } from "drizzle-orm";
import { passwordResets, type PasswordResetOrigin } from "../schema/shared/accounts.ts";
import type { Session } from "../engine/session.ts";
import type { RowOf } from "./base-model.ts";
import { SharedModel } from "./strategies.ts";
import { rowLimit } from "../engine/dialect.ts";

export type PasswordResetRow = RowOf<typeof passwordResets>;

/** Spent, expired and answered rows are kept this long (a reused link says "already used"), then pruned. */
const KEEP_MS = 7 * 24 * 3_600_000;

/** What a reset token looks like when someone presents it. */
export type PasswordResetTokenState = { state: "valid"; reset: PasswordResetRow } | { state: "used" | "expired" | "unknown" };

/**
 * Password resets of the current tenant's users (schema/shared/accounts.ts). A new link replaces
 * the user's earlier open links and requests; spending one is a single conditional UPDATE, so of
 * parallel uses of one token exactly one succeeds.
 */
export class PasswordResetModel extends SharedModel<typeof passwordResets> {
  constructor() {
    super(passwordResets);
  }

  /** Stores a new link (its token's hash) for `userId`; earlier open links and requests of theirs end. */
  async createLink(data: { userId: string; origin: PasswordResetOrigin; tokenHash: string; expiresAt: Date }, now = new Date()): Promise<PasswordResetRow> {
    return this.session("passwordResets.createLink", "write", async (s) => {
      const resets = this.tableIn(s);
      await s.db.delete(resets).where(this.condition(resets, and(eq(resets.userId, data.userId), isNull(resets.usedAt))));
      await this.prune(s, now);
      return this.insertRow(s, data);
    });
  }

  /** Records a user's own request that no mail answered (one open request per user). */
  async recordRequest(userId: string, now = new Date()): Promise<PasswordResetRow> {
    return this.session("passwordResets.recordRequest", "write", async (s) => {
      const resets = this.tableIn(s);
      const [open] = await s.db
        .select()
        .from(resets)
        .where(this.condition(resets, and(eq(resets.userId, userId), isNull(resets.tokenHash), isNull(resets.usedAt))))
        .limit(rowLimit(1));
      if (open) return open;
      await this.prune(s, now);
      return this.insertRow(s, { userId, origin: "user" });
    });
  }

  /** Users who asked for a reset that no link answered yet: user id → when they asked. */
  async openRequests(): Promise<Map<string, Date>> {
    const rows = await this.findMany({ where: (t) => and(isNull(t.tokenHash), isNull(t.usedAt)) });
    return new Map(rows.map((row) => [row.userId, row.createdAt]));
  }

  async tokenState(tokenHash: string, now = new Date()): Promise<PasswordResetTokenState> {
    const reset = await this.findOne({ tokenHash });
    if (!reset) return { state: "unknown" };
    if (reset.usedAt) return { state: "used" };
    if (!reset.expiresAt || reset.expiresAt <= now) return { state: "expired" };
    return { state: "valid", reset };
  }

  /** Spends a valid token: returns its row, or null when it is unknown, used or expired. */
  async spend(tokenHash: string, now = new Date()): Promise<PasswordResetRow | null> {
    return this.session("passwordResets.spend", "write", async (s) => {
      const resets = this.tableIn(s);
      const [row] = await s.db
        .update(resets)
        .set({ usedAt: now })
        .where(this.condition(resets, and(eq(resets.tokenHash, tokenHash), isNull(resets.usedAt), gt(resets.expiresAt, now))))
        .returning();
      return row ?? null;
    });
  }

  /** Links last an hour or so (a setting of the API): anything this old is over. */
  private async prune(s: Session, now: Date): Promise<void> {
    const resets = this.tableIn(s);
    await s.db.delete(resets).where(this.condition(resets, lt(resets.createdAt, new Date(now.getTime() - KEEP_MS))));
  }
}

export const passwordResetModel = new PasswordResetModel();
