import { and, count, inArray, ne } from "drizzle-orm";
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
          const row = tx.select({ n: count() }).from(users).where(this.condition(inArray(users.status, ["active", "pending"]))).get();
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

  async findByRole(role: UserRole): Promise<UserRow[]> {
    return this.findMany({ where: { role }, orderBy: { column: "createdAt" } });
  }
}

export const userModel = new UserModel();
