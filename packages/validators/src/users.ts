import { z } from "zod";
import { email, id, name } from "./common.ts";

export const USER_ROLES = ["admin", "user", "viewer"] as const;
export const USER_STATUSES = ["active", "inactive", "pending"] as const;
export const userRole = z.enum(USER_ROLES);
export const userStatus = z.enum(USER_STATUSES);
export type UserRole = z.infer<typeof userRole>;

export const inviteUserInput = z.object({ email, name: name(200), role: userRole });
export const updateRoleInput = z.object({ id, role: userRole });
export const userIdInput = z.object({ id });
export const listUsersInput = z.object({ status: userStatus.optional(), role: userRole.optional() }).default({});
