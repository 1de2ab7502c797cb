export * from "./tenants.ts";
export * from "./system-admins.ts";
export * from "./users.ts";
export * from "./sessions.ts";
export * from "./api-keys.ts";
export * from "./settings.ts";
export * from "./system-admin-access.ts";
export * from "./guards.ts";
