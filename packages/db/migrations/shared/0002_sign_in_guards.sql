CREATE TABLE `rate_limit_buckets` (
	`key` text PRIMARY KEY NOT NULL,
	`tokens` real NOT NULL,
	`updated_at` integer NOT NULL,
	`allowed` integer NOT NULL,
	`full_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `rate_limit_buckets_full_idx` ON `rate_limit_buckets` (`full_at`);--> statement-breakpoint
CREATE TABLE `sign_in_failures` (
	`key` text PRIMARY KEY NOT NULL,
	`failures` integer NOT NULL,
	`window_started_at` integer NOT NULL,
	`locked_until` integer,
	`expires_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `sign_in_failures_expires_idx` ON `sign_in_failures` (`expires_at`);--> statement-breakpoint
-- Locks still running move to the counter table (the lock's count: 5 failures).
INSERT INTO `sign_in_failures` (`key`, `failures`, `window_started_at`, `locked_until`, `expires_at`)
SELECT `tenant_id` || ':' || `email`, 5, `locked_until` - 1800000, `locked_until`, `locked_until` FROM `users` WHERE `locked_until` IS NOT NULL;--> statement-breakpoint
INSERT INTO `sign_in_failures` (`key`, `failures`, `window_started_at`, `locked_until`, `expires_at`)
SELECT 'admin:' || `email`, 5, `locked_until` - 1800000, `locked_until`, `locked_until` FROM `system_admins` WHERE `locked_until` IS NOT NULL;--> statement-breakpoint
ALTER TABLE `system_admins` DROP COLUMN `failed_login_count`;--> statement-breakpoint
ALTER TABLE `system_admins` DROP COLUMN `locked_until`;--> statement-breakpoint
ALTER TABLE `users` DROP COLUMN `failed_login_count`;--> statement-breakpoint
ALTER TABLE `users` DROP COLUMN `locked_until`;