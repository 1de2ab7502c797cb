CREATE TABLE `deleted_users` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`user_id` text NOT NULL,
	`name` text NOT NULL,
	`email` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `deleted_users_tenant_user_unique` ON `deleted_users` (`tenant_id`,`user_id`);--> statement-breakpoint
CREATE TABLE `password_resets` (
	`id` text PRIMARY KEY NOT NULL,
	`tenant_id` text NOT NULL,
	`user_id` text NOT NULL,
	`origin` text NOT NULL,
	`token_hash` text,
	`expires_at` integer,
	`used_at` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`tenant_id`) REFERENCES `tenants`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `password_resets_tenant_token_unique` ON `password_resets` (`tenant_id`,`token_hash`);--> statement-breakpoint
CREATE INDEX `password_resets_tenant_user_idx` ON `password_resets` (`tenant_id`,`user_id`);--> statement-breakpoint
CREATE INDEX `password_resets_tenant_created_idx` ON `password_resets` (`tenant_id`,`created_at`);