export * from "./prompts.ts";
export * from "./executions.ts";
export * from "./files.ts";
export * from "./deployments.ts";
export * from "./audit-log.ts";
export * from "./usage-counters.ts";
export * from "./tenant-stats.ts";
