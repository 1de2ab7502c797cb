// First: every schema below reports its issues in words a person understands (messages.ts).
export * from "./messages.ts";
export * from "./common.ts";
export * from "./features.ts";
export * from "./tenants.ts";
export * from "./admin.ts";
export * from "./maintenance.ts";
export * from "./auth.ts";
export * from "./users.ts";
export * from "./api-keys.ts";
export * from "./settings.ts";
export * from "./prompts.ts";
export * from "./executions.ts";
export * from "./files.ts";
export * from "./deployments.ts";
export * from "./audit.ts";
export * from "./duration.ts";
export { z } from "zod";
export * from "./json-text.ts";
