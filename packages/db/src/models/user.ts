import { and, eq, gt, inArray, ne, type SQL } from "drizzle-orm";
import { randomUUID } from "node:crypto";
import { QuotaExceededError } from "../errors.ts";
import type { deletedUsers } from "../schema/shared/accounts.ts";
import { users, type UserRole, type UserStatus } from "../schema/shared/users.ts";
import type { RowOf } from "./base-model.ts";
import { SharedModel } from "./strategies.ts";

export type UserRow = RowOf<typeof users>;
type UserCreate = Parameters<UserModel["create"]>[0];
type DeletedUserInsert = typeof deletedUsers.$inferInsert;

const SEAT_STATUSES: UserStatus[] = ["active", "pending"];

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
    return this.count(seatHolders());
  }

  /**
   * Creates a user only if the tenant's seats (active + pending) stay within `limit`. Count and
   * insert run in one write session, so parallel requests can never overshoot.
   */
  async createWithinSeatLimit(data: UserCreate, limit: number): Promise<UserRow> {
    return this.session("users.createWithinSeatLimit", "write", async (s) => {
      refuseBeyondSeatLimit(await this.countIn(s, seatHolders()), limit);
      return this.insertRow(s, data);
    });
  }

  /**
   * Applies `patch` to a user that will occupy a seat afterwards (reactivation), only if the
   * other seats stay below `limit`; one write session, like createWithinSeatLimit.
   */
  async updateWithinSeatLimit(id: string, patch: Partial<UserCreate>, limit: number): Promise<UserRow | null> {
    return this.session("users.updateWithinSeatLimit", "write", async (s) => {
      refuseBeyondSeatLimit(await this.countIn(s, seatHolders(id)), limit);
      return this.updateRow(s, id, patch);
    });
  }

  /**
   * Accepts an invitation: the pending, unexpired user holding `tokenHash` becomes active with
   * `patch` (its password), and the token is spent. One conditional UPDATE: of parallel
   * acceptances of one token exactly one gets the user back, the others null. The token's hash
   * stays on the row so the link, opened again, says "already used" (it can never match again:
   * the user is no longer pending).
   */
  async acceptInvitation(tokenHash: string, patch: { passwordHash: string; name?: string }, now = new Date()): Promise<UserRow | null> {
    return this.session("users.acceptInvitation", "write", async (s) => {
      const users = this.tableIn(s);
      const [row] = await s.db
        .update(users)
        .set({ ...patch, status: "active", invitationExpiresAt: null, updatedAt: now })
        .where(this.condition(users, and(eq(users.invitationTokenHash, tokenHash), eq(users.status, "pending"), gt(users.invitationExpiresAt, now))))
        .returning();
      return row ?? null;
    });
  }

  /**
   * Applies `patch` (a role or status change) unless it would leave the tenant without an active
   * admin. The count of the other active admins and the change run in one write session, so two
   * admins demoting or deactivating each other at once cannot both succeed. The refusal is
   * decided before the change rather than by rolling it back: a session this call joins would
   * otherwise keep the change.
   */
  async updateKeepingAnActiveAdmin(id: string, patch: Partial<UserCreate>): Promise<{ user: UserRow } | { refused: "notFound" | "lastActiveAdmin" }> {
    return this.session("users.updateKeepingAnActiveAdmin", "write", async (s) => {
      const before = await this.selectById(s, id);
      if (!before) return { refused: "notFound" as const };
      const leavesActiveAdmins = isActiveAdmin(before) && !isActiveAdmin({ role: patch.role ?? before.role, status: patch.status ?? before.status });
      if (leavesActiveAdmins && (await this.countIn(s, otherActiveAdmins(id))) === 0) return { refused: "lastActiveAdmin" as const };
      const after = await this.updateRow(s, id, patch);
      return after ? { user: after } : { refused: "notFound" as const };
    });
  }

  /**
   * Deletes a user unless they are the tenant's last active admin, and keeps their name and email
   * in `deleted_users` for the content they authored. Check, tombstone and delete are one write
   * session; their sessions, API keys and password resets go with the row (foreign keys ON
   * DELETE CASCADE).
   */
  async deleteKeepingAnActiveAdmin(id: string): Promise<{ user: UserRow } | { refused: "notFound" | "lastActiveAdmin" }> {
    return this.session("users.deleteKeepingAnActiveAdmin", "write", async (s) => {
      const user = await this.selectById(s, id);
      if (!user) return { refused: "notFound" as const };
      if (isActiveAdmin(user) && (await this.countIn(s, otherActiveAdmins(id))) === 0) return { refused: "lastActiveAdmin" as const };
      const { deletedUsers } = s.t;
      const users = this.tableIn(s);
      await s.db
        .insert(deletedUsers)
        .values({ ...this.ownedValues(), id: randomUUID(), userId: user.id, name: user.name, email: user.email } as DeletedUserInsert)
        .onConflictDoNothing();
      await s.db.delete(users).where(this.condition(users, eq(users.id, id)));
      return { user };
    });
  }

  async findByRole(role: UserRole): Promise<UserRow[]> {
    return this.findMany({ where: { role }, orderBy: { column: "createdAt" } });
  }
}

/** Users that occupy a seat (active and invited), other than `exceptId`. */
function seatHolders(exceptId?: string): (t: typeof users) => SQL | undefined {
  return (t) => and(inArray(t.status, SEAT_STATUSES), exceptId === undefined ? undefined : ne(t.id, exceptId));
}

/** The tenant's active admins other than `exceptId`. */
function otherActiveAdmins(exceptId: string): (t: typeof users) => SQL | undefined {
  return (t) => and(eq(t.role, "admin"), eq(t.status, "active"), ne(t.id, exceptId));
}

function refuseBeyondSeatLimit(used: number, limit: number): void {
  if (used >= limit) throw new QuotaExceededError("users", limit, used, `The plan allows ${limit} users and ${used} are active or invited.`);
}

function isActiveAdmin(user: Pick<UserRow, "role" | "status">): boolean {
  return user.role === "admin" && user.status === "active";
}

export const userModel = new UserModel();
