CREATE TABLE `usage_counters` (
	`metric` text NOT NULL,
	`period` text NOT NULL,
	`count` integer DEFAULT 0 NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	PRIMARY KEY(`metric`, `period`)
);
--> statement-breakpoint
-- Seed the counters from the executions that exist (the quota counted live rows until now).
INSERT INTO `usage_counters` (`metric`, `period`, `count`)
SELECT 'executions', strftime('%Y-%m', `created_at` / 1000, 'unixepoch'), count(*) FROM `executions` GROUP BY 2;
