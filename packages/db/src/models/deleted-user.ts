import { deletedUsers } from "../schema/shared/accounts.ts";
import type { RowOf } from "./base-model.ts";
import { SharedModel } from "./strategies.ts";

export type DeletedUserRow = RowOf<typeof deletedUsers>;

/** Names of the current tenant's deleted users (written by userModel.deleteKeepingAnActiveAdmin). */
export class DeletedUserModel extends SharedModel<typeof deletedUsers> {
  constructor() {
    super(deletedUsers);
  }
}

export const deletedUserModel = new DeletedUserModel();
