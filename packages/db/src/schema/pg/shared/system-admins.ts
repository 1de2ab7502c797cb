import { text, uniqueIndex } from "drizzle-orm/pg-core";
import { createdAt, idColumn, timestampColumn, updatedAt } from "../columns.ts";
import { sigilShared } from "./schema.ts";

/** Operators of the whole installation; mirrors ../../shared/system-admins.ts. */
export const systemAdmins = sigilShared.table(
  "system_admins",
  {
    id: idColumn(),
    email: text("email").notNull(),
    name: text("name").notNull(),
    passwordHash: text("password_hash").notNull(),
    lastLoginAt: timestampColumn("last_login_at"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex("system_admins_email_unique").on(t.email)],
);
