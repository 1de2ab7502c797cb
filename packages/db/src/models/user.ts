import { users, type UserRole } from "../schema/shared/users.ts";
import type { RowOf } from "./base-model.ts";
import { SharedModel } from "./strategies.ts";

export type UserRow = RowOf<typeof users>;

/** Users live in shared.sqlite, always scoped to the current tenant. */
export class UserModel extends SharedModel<typeof users> {
  constructor() {
    super(users);
  }

  async findByEmail(email: string): Promise<UserRow | null> {
    return this.findOne({ email: email.toLowerCase() });
  }

  async findByRole(role: UserRole): Promise<UserRow[]> {
    return this.findMany({ where: { role }, orderBy: { column: "createdAt" } });
  }
}

export const userModel = new UserModel();
