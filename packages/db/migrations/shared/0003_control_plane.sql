CREATE TABLE `tenant_usage` (
	`tenant_id` text PRIMARY KEY NOT NULL,
	`revision` integer DEFAULT 0 NOT NULL,
	`storage_bytes` integer DEFAULT 0 NOT NULL,
	`file_count` integer DEFAULT 0 NOT NULL,
	`prompt_count` integer DEFAULT 0 NOT NULL,
	`executions_period` text,
	`executions_in_period` integer DEFAULT 0 NOT NULL,
	`last_activity_at` integer,
	`schema_version` integer,
	`database_bytes` integer DEFAULT 0 NOT NULL,
	`database_measured_at` integer,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `tenant_usage_storage_idx` ON `tenant_usage` (`storage_bytes`);--> statement-breakpoint
CREATE INDEX `tenant_usage_activity_idx` ON `tenant_usage` (`last_activity_at`);--> statement-breakpoint
CREATE INDEX `tenant_usage_schema_idx` ON `tenant_usage` (`schema_version`);--> statement-breakpoint
CREATE TABLE `tenant_work` (
	`tenant_id` text PRIMARY KEY NOT NULL,
	`pending_since` integer,
	`pending_generation` integer DEFAULT 0 NOT NULL,
	`lease_check_at` integer,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `tenant_work_pending_idx` ON `tenant_work` (`pending_since`);--> statement-breakpoint
CREATE INDEX `tenant_work_lease_idx` ON `tenant_work` (`lease_check_at`);--> statement-breakpoint
-- Every existing tenant gets its rows; the usage is copied from its file on first use or by
-- `pnpm --filter @sigil/db usage:repair`, and the worker visits each tenant once (pending and
-- lease marks set now) to pick up executions created before the index existed.
INSERT INTO `tenant_usage` (`tenant_id`) SELECT `id` FROM `tenants`;
--> statement-breakpoint
INSERT INTO `tenant_work` (`tenant_id`, `pending_since`, `lease_check_at`)
SELECT `id`, CAST(unixepoch('subsec') * 1000 AS integer), CAST(unixepoch('subsec') * 1000 AS integer) FROM `tenants`;
