/**
 * The isolated tables, defined without a PostgreSQL schema: the same objects serve every tenant's
 * `t_<uuid without dashes>` schema, which each transaction selects with `SET LOCAL search_path`.
 */
export * from "./prompts.ts";
export * from "./executions.ts";
export * from "./files.ts";
export * from "./deployments.ts";
export * from "./audit-log.ts";
export * from "./usage-counters.ts";
export * from "./tenant-stats.ts";
export * from "./datasets.ts";
export * from "./batch-runs.ts";
export * from "./execution-comments.ts";
export * from "./webhook-deliveries.ts";
export * from "./prompt-comments.ts";
