import { systemAdmins } from "../schema/shared/system-admins.ts";
import type { RowOf } from "./base-model.ts";
import { SystemModel } from "./strategies.ts";

export type SystemAdminRow = RowOf<typeof systemAdmins>;

export class SystemAdminModel extends SystemModel<typeof systemAdmins> {
  constructor() {
    super(systemAdmins);
  }

  async findByEmail(email: string): Promise<SystemAdminRow | null> {
    return this.findOne({ email: email.toLowerCase() });
  }
}

export const systemAdminModel = new SystemAdminModel();
