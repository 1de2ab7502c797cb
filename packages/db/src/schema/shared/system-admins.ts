import { sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { createdAt, idColumn, timestampColumn, updatedAt } from "../columns.ts";

/** Operators of the whole installation; they belong to no tenant. */
export const systemAdmins = sqliteTable(
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
