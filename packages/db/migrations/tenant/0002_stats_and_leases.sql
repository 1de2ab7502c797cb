CREATE TABLE `tenant_stats` (
	`id` integer PRIMARY KEY NOT NULL,
	`revision` integer DEFAULT 0 NOT NULL,
	`storage_bytes` integer DEFAULT 0 NOT NULL,
	`file_count` integer DEFAULT 0 NOT NULL,
	`prompt_count` integer DEFAULT 0 NOT NULL,
	`last_activity_at` integer
);
--> statement-breakpoint
ALTER TABLE `executions` ADD `claimed_by` text;--> statement-breakpoint
ALTER TABLE `executions` ADD `lease_expires_at` integer;--> statement-breakpoint
CREATE INDEX `executions_lease_idx` ON `executions` (`status`,`lease_expires_at`);--> statement-breakpoint
-- The running totals start from the rows that exist; the triggers below keep them current in the
-- transaction of every write (cascaded deletes fire them too). A migration that rebuilds one of
-- these tables (drizzle-kit's copy-and-rename) drops its triggers and must create them again.
INSERT INTO `tenant_stats` (`id`, `revision`, `storage_bytes`, `file_count`, `prompt_count`, `last_activity_at`)
SELECT 1, 1, (SELECT coalesce(sum(`size`), 0) FROM `files`), (SELECT count(*) FROM `files`), (SELECT count(*) FROM `prompts`), (SELECT max(`created_at`) FROM `audit_log`);
--> statement-breakpoint
CREATE TRIGGER `tenant_stats_file_inserted` AFTER INSERT ON `files` BEGIN
	UPDATE `tenant_stats` SET `storage_bytes` = `storage_bytes` + NEW.`size`, `file_count` = `file_count` + 1, `revision` = `revision` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `tenant_stats_file_deleted` AFTER DELETE ON `files` BEGIN
	UPDATE `tenant_stats` SET `storage_bytes` = `storage_bytes` - OLD.`size`, `file_count` = `file_count` - 1, `revision` = `revision` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `tenant_stats_file_resized` AFTER UPDATE OF `size` ON `files` BEGIN
	UPDATE `tenant_stats` SET `storage_bytes` = `storage_bytes` - OLD.`size` + NEW.`size`, `revision` = `revision` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `tenant_stats_prompt_inserted` AFTER INSERT ON `prompts` BEGIN
	UPDATE `tenant_stats` SET `prompt_count` = `prompt_count` + 1, `revision` = `revision` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `tenant_stats_prompt_deleted` AFTER DELETE ON `prompts` BEGIN
	UPDATE `tenant_stats` SET `prompt_count` = `prompt_count` - 1, `revision` = `revision` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `tenant_stats_usage_inserted` AFTER INSERT ON `usage_counters` BEGIN
	UPDATE `tenant_stats` SET `revision` = `revision` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `tenant_stats_usage_updated` AFTER UPDATE ON `usage_counters` BEGIN
	UPDATE `tenant_stats` SET `revision` = `revision` + 1 WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `tenant_stats_activity` AFTER INSERT ON `audit_log` BEGIN
	UPDATE `tenant_stats` SET `last_activity_at` = max(coalesce(`last_activity_at`, 0), NEW.`created_at`), `revision` = `revision` + 1 WHERE `id` = 1;
END;
