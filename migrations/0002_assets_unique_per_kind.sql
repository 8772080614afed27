DROP INDEX `assets_name_unique`;--> statement-breakpoint
CREATE UNIQUE INDEX `assets_by_kind_and_name` ON `assets` (`kind`,`name`);