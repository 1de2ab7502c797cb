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
