CREATE TABLE `delete_requests` (
	`tenant` text NOT NULL,
	`request_id` text NOT NULL,
	`shard` integer NOT NULL,
	`query` text NOT NULL,
	`start_ms` integer NOT NULL,
	`end_ms` integer NOT NULL,
	`created_ms` integer NOT NULL,
	`processed_ms` integer,
	`cursor` text,
	PRIMARY KEY(`tenant`, `request_id`, `shard`)
);
--> statement-breakpoint
CREATE TABLE `tenant_overrides` (
	`tenant` text PRIMARY KEY NOT NULL,
	`limits` text NOT NULL,
	`updated_ms` integer NOT NULL
);
