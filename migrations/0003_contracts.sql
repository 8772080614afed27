CREATE TABLE `contract_events` (
	`height` integer NOT NULL,
	`log_index` integer NOT NULL,
	`tx_id` text NOT NULL,
	`contract` text NOT NULL,
	`topics` text NOT NULL,
	`data` text NOT NULL,
	PRIMARY KEY(`height`, `log_index`)
);
--> statement-breakpoint
CREATE INDEX `contract_events_by_contract` ON `contract_events` (`contract`,`height`);--> statement-breakpoint
CREATE TABLE `contracts` (
	`address` text PRIMARY KEY NOT NULL,
	`evm` text NOT NULL,
	`height` integer NOT NULL,
	`tx_id` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `contracts_evm_unique` ON `contracts` (`evm`);--> statement-breakpoint
CREATE TABLE `payouts` (
	`position` integer PRIMARY KEY NOT NULL,
	`height` integer NOT NULL,
	`tx_id` text NOT NULL,
	`pkr` text NOT NULL,
	`asset_kind` text NOT NULL,
	`asset_ref` text NOT NULL,
	`value` text NOT NULL,
	`rcm` text NOT NULL,
	`commitment` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `payouts_by_height` ON `payouts` (`height`);--> statement-breakpoint
ALTER TABLE `transactions` ADD `outcome` text;--> statement-breakpoint
ALTER TABLE `transactions` ADD `gas_used` text;--> statement-breakpoint
ALTER TABLE `transactions` ADD `return_data` text;--> statement-breakpoint
ALTER TABLE `transactions` ADD `created_contract` text;