CREATE TABLE `model_prices` (
	`provider_kind` text NOT NULL,
	`model` text NOT NULL,
	`input_usd_per_million` real NOT NULL,
	`output_usd_per_million` real NOT NULL,
	`updated_by` text,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	PRIMARY KEY(`provider_kind`, `model`)
);
--> statement-breakpoint
ALTER TABLE `tenants` ADD `limit_tokens_per_month` integer;--> statement-breakpoint
ALTER TABLE `tenant_work` ADD `webhooks_due_at` integer;--> statement-breakpoint
CREATE INDEX `tenant_work_webhooks_idx` ON `tenant_work` (`webhooks_due_at`);