CREATE TABLE `shards` (
	`index` integer PRIMARY KEY NOT NULL,
	`root` text NOT NULL,
	`height` integer NOT NULL
);
--> statement-breakpoint
-- Nullable: blocks projected before this migration keep no frontier (SQLite cannot compute one),
-- and a NOT NULL default would claim a frontier they do not have; the API answers 404 for them.
ALTER TABLE `blocks` ADD `frontier` text;