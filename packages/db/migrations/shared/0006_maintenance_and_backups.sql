CREATE TABLE `tenant_backups` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`set_path` text NOT NULL,
	`taken_at` integer NOT NULL,
	`outcome` text NOT NULL,
	`bytes` integer,
	`sha256` text,
	`reused` integer DEFAULT false NOT NULL,
	`error` text,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `tenant_backups_tenant_taken_idx` ON `tenant_backups` (`tenant_id`,`taken_at`);--> statement-breakpoint
ALTER TABLE `tenants` ADD `maintenance_since` integer;--> statement-breakpoint
ALTER TABLE `tenants` ADD `maintenance_reason` text;--> statement-breakpoint
ALTER TABLE `tenants` ADD `maintenance_until` integer;--> statement-breakpoint
ALTER TABLE `tenants` ADD `maintenance_by` text;