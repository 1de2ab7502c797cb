CREATE TABLE `cache_generation` (
	`id` integer PRIMARY KEY NOT NULL,
	`value` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
INSERT INTO `cache_generation` (`id`, `value`) VALUES (1, 0);
--> statement-breakpoint
CREATE TRIGGER `cache_generation_tenant_updated` AFTER UPDATE ON `tenants` BEGIN
	UPDATE `cache_generation` SET `value` = `value` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `cache_generation_tenant_deleted` AFTER DELETE ON `tenants` BEGIN
	UPDATE `cache_generation` SET `value` = `value` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `cache_generation_user_updated` AFTER UPDATE ON `users` BEGIN
	UPDATE `cache_generation` SET `value` = `value` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `cache_generation_user_deleted` AFTER DELETE ON `users` BEGIN
	UPDATE `cache_generation` SET `value` = `value` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `cache_generation_api_key_updated` AFTER UPDATE OF `tenant_id`, `user_id`, `name`, `key_id`, `secret_hash`, `scopes`, `status`, `expires_at`, `revoked_at` ON `api_keys` BEGIN
	UPDATE `cache_generation` SET `value` = `value` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `cache_generation_api_key_deleted` AFTER DELETE ON `api_keys` BEGIN
	UPDATE `cache_generation` SET `value` = `value` + 1 WHERE `id` = 1;
END;
