ALTER TABLE `prompt_versions` ADD `input_schema` text;--> statement-breakpoint
ALTER TABLE `prompts` ADD `input_schema` text;