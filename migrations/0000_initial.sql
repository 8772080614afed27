CREATE TABLE `anchors` (
	`root` text PRIMARY KEY NOT NULL,
	`height` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `assets` (
	`id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`name` text NOT NULL,
	`decimals` integer NOT NULL,
	`issuer` text NOT NULL,
	`supply_rule` text NOT NULL,
	`cap` text,
	`issued` text NOT NULL,
	`fees` text NOT NULL,
	`nonce` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `assets_name_unique` ON `assets` (`name`);--> statement-breakpoint
CREATE TABLE `blocks` (
	`height` integer PRIMARY KEY NOT NULL,
	`state_root` text NOT NULL,
	`anchor` text NOT NULL,
	`tx_count` integer NOT NULL,
	`fees` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `commitments` (
	`position` integer PRIMARY KEY NOT NULL,
	`commitment` text NOT NULL,
	`height` integer NOT NULL,
	`tx_id` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `commitments_by_height` ON `commitments` (`height`);--> statement-breakpoint
CREATE INDEX `commitments_by_value` ON `commitments` (`commitment`);--> statement-breakpoint
CREATE TABLE `nullifiers` (
	`nullifier` text PRIMARY KEY NOT NULL,
	`height` integer NOT NULL,
	`tx_id` text NOT NULL
);
--> statement-breakpoint
CREATE TABLE `transactions` (
	`height` integer NOT NULL,
	`position` integer NOT NULL,
	`id` text NOT NULL,
	`kind` text,
	`status` text NOT NULL,
	`code` text,
	`body` blob NOT NULL,
	PRIMARY KEY(`height`, `position`)
);
--> statement-breakpoint
CREATE INDEX `transactions_by_id` ON `transactions` (`id`);--> statement-breakpoint
CREATE TABLE `validators` (
	`index` integer PRIMARY KEY NOT NULL,
	`public_key` text NOT NULL,
	`last_seen_height` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `validators_public_key_unique` ON `validators` (`public_key`);