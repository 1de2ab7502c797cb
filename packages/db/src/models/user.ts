import { and, count, eq, gt, inArray, ne } from "drizzle-orm";
import { randomUUID } from "node:crypto";
import { deletedUsers } from "../schema/shared/accounts.ts";
import { QuotaExceededError } from "../errors.ts";
import { users, type UserRole } from "../schema/shared/users.ts";
import type { RowOf } from "./base-model.ts";
import { SharedModel } from "./strategies.ts";

export type UserRow = RowOf<typeof users>;
type UserCreate = Parameters<UserModel["create"]>[0];

/** Users live in shared.sqlite, always scoped to the current tenant. */
export class UserModel extends SharedModel<typeof users> {
  constructor() {
    super(users);
  }

  async findByEmail(email: string): Promise<UserRow | null> {
    return this.findOne({ email: email.toLowerCase() });
  }

  /** Users that count against the plan's user limit: active and invited (pending). */
  async countSeats(): Promise<number> {
    return this.count((t) => inArray(t.status, ["active", "pending"]));
  }

  /**
   * Creates a user only if the tenant's seats (active + pending) stay within `limit`. Count and
   * insert run in one IMMEDIATE transaction, so parallel requests can never overshoot.
   */
  async createWithinSeatLimit(data: UserCreate, limit: number): Promise<UserRow> {
    return this.withDatabase("users.createWithinSeatLimit", (db) =>
      this.transaction(
        db,
        (tx) => {
          const row = tx
            .select({ n: count() })
            .from(users)
            .where(this.condition(inArray(users.status, ["active", "pending"])))
            .get();
          const used = row?.n ?? 0;
          if (used >= limit) {
            throw new QuotaExceededError("users", limit, used, `The plan allows ${limit} users and ${used} are active or invited.`);
          }
          return this.createSync(data);
        },
        "immediate",
      ),
    );
  }

  /**
   * Applies `patch` to a user that will occupy a seat afterwards (reactivation), only if the
   * other seats stay below `limit`; one IMMEDIATE transaction, like createWithinSeatLimit.
   */
  async updateWithinSeatLimit(id: string, patch: Partial<UserCreate>, limit: number): Promise<UserRow | null> {
    return this.withDatabase("users.updateWithinSeatLimit", (db) =>
      this.transaction(
        db,
        (tx) => {
          const row = tx
            .select({ n: count() })
            .from(users)
            .where(this.condition(and(inArray(users.status, ["active", "pending"]), ne(users.id, id))))
            .get();
          const used = row?.n ?? 0;
          if (used >= limit) {
            throw new QuotaExceededError("users", limit, used, `The plan allows ${limit} users and ${used} are active or invited.`);
          }
          return this.updateSync(id, patch);
        },
        "immediate",
      ),
    );
  }

  /**
   * Accepts an invitation: the pending, unexpired user holding `tokenHash` becomes active with
   * `patch` (its password), and the token is spent. One conditional UPDATE: of parallel
   * acceptances of one token exactly one gets the user back, the others null. The token's hash
   * stays on the row so the link, opened again, says "already used" (it can never match again:
   * the user is no longer pending).
   */
  async acceptInvitation(tokenHash: string, patch: { passwordHash: string; name?: string }, now = new Date()): Promise<UserRow | null> {
    return this.withDatabase("users.acceptInvitation", (db) => {
      const row = db
        .update(users)
        .set({ ...patch, status: "active", invitationExpiresAt: null, updatedAt: now })
        .where(this.condition(and(eq(users.invitationTokenHash, tokenHash), eq(users.status, "pending"), gt(users.invitationExpiresAt, now))))
        .returning()
        .get();
      return row ?? null;
    });
  }

  /**
   * Applies `patch` (a role or status change) unless it would leave the tenant without an active
   * admin. The change and the count of active admins after it run in one IMMEDIATE transaction,
   * so two admins demoting or deactivating each other at once cannot both succeed.
   */
  async updateKeepingAnActiveAdmin(id: string, patch: Partial<UserCreate>): Promise<{ user: UserRow } | { refused: "notFound" | "lastActiveAdmin" }> {
    try {
      return this.withDatabase("users.updateKeepingAnActiveAdmin", (db) =>
        this.transaction(
          db,
          (tx) => {
            const before = this.selectById(tx, id);
            const after = before ? this.updateSync(id, patch) : null;
            if (!before || !after) return { refused: "notFound" as const };
            const row = tx
              .select({ n: count() })
              .from(users)
              .where(this.condition(and(eq(users.role, "admin"), eq(users.status, "active"))))
              .get();
            // Throwing rolls the change back.
            if (before.role === "admin" && before.status === "active" && (row?.n ?? 0) === 0) throw new LastActiveAdminRollback();
            return { user: after };
          },
          "immediate",
        ),
      );
    } catch (error) {
      if (error instanceof LastActiveAdminRollback) return { refused: "lastActiveAdmin" };
      throw error;
    }
  }

  /**
   * Deletes a user unless they are the tenant's last active admin, and keeps their name and email
   * in `deleted_users` for the content they authored. Check, tombstone and delete are one
   * IMMEDIATE transaction; their sessions, API keys and password resets go with the row
   * (foreign keys ON DELETE CASCADE).
   */
  async deleteKeepingAnActiveAdmin(id: string): Promise<{ user: UserRow } | { refused: "notFound" | "lastActiveAdmin" }> {
    return this.withDatabase("users.deleteKeepingAnActiveAdmin", (db) =>
      this.transaction(
        db,
        (tx) => {
          const user = this.selectById(tx, id);
          if (!user) return { refused: "notFound" as const };
          if (user.role === "admin" && user.status === "active") {
            const row = tx
              .select({ n: count() })
              .from(users)
              .where(this.condition(and(eq(users.role, "admin"), eq(users.status, "active"), ne(users.id, id))))
              .get();
            if ((row?.n ?? 0) === 0) return { refused: "lastActiveAdmin" as const };
          }
          tx.insert(deletedUsers)
            .values({ ...this.ownedValues(), id: randomUUID(), userId: user.id, name: user.name, email: user.email } as typeof deletedUsers.$inferInsert)
            .onConflictDoNothing()
            .run();
          tx.delete(users)
            .where(this.condition(eq(users.id, id)))
            .run();
          return { user };
        },
        "immediate",
      ),
    );
  }

  async findByRole(role: UserRole): Promise<UserRow[]> {
    return this.findMany({ where: { role }, orderBy: { column: "createdAt" } });
  }
}

class LastActiveAdminRollback extends Error {}

export const userModel = new UserModel();
