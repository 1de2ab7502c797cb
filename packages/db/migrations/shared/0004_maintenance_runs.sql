CREATE TABLE `maintenance_results` (
	`run_id` text NOT NULL,
	`seq` integer NOT NULL,
	`tenant_id` text NOT NULL,
	`slug` text NOT NULL,
	`outcome` text NOT NULL,
	`detail` text DEFAULT '' NOT NULL,
	`database_bytes` integer,
	`duration_ms` real NOT NULL,
	PRIMARY KEY(`run_id`, `seq`),
	FOREIGN KEY (`run_id`) REFERENCES `maintenance_runs`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `maintenance_results_outcome_idx` ON `maintenance_results` (`run_id`,`outcome`,`seq`);--> statement-breakpoint
CREATE TABLE `maintenance_runs` (
	`id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`status` text NOT NULL,
	`total` integer NOT NULL,
	`done` integer DEFAULT 0 NOT NULL,
	`failed` integer DEFAULT 0 NOT NULL,
	`started_by` text,
	`started_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`finished_at` integer,
	`cancel_requested_at` integer,
	`runner_pid` integer NOT NULL,
	`runner_id` text NOT NULL,
	`heartbeat_at` integer NOT NULL,
	`error` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `maintenance_runs_one_running` ON `maintenance_runs` (`kind`) WHERE status = 'running';--> statement-breakpoint
CREATE INDEX `maintenance_runs_kind_started_idx` ON `maintenance_runs` (`kind`,`started_at`);