CREATE TABLE `chunks` (
	`tenant` text NOT NULL,
	`fingerprint` text NOT NULL,
	`object_key` text NOT NULL,
	`byte_offset` integer NOT NULL,
	`byte_length` integer NOT NULL,
	`min_ts_ms` integer NOT NULL,
	`max_ts_ms` integer NOT NULL,
	`entries` integer NOT NULL,
	`raw_bytes` integer NOT NULL,
	PRIMARY KEY(`tenant`, `fingerprint`, `object_key`, `byte_offset`)
);
--> statement-breakpoint
CREATE INDEX `chunks_by_time` ON `chunks` (`tenant`,`max_ts_ms`);--> statement-breakpoint
CREATE TABLE `label_postings` (
	`tenant` text NOT NULL,
	`name` text NOT NULL,
	`value` text NOT NULL,
	`fingerprint` text NOT NULL,
	PRIMARY KEY(`tenant`, `name`, `value`, `fingerprint`)
);
--> statement-breakpoint
CREATE TABLE `streams` (
	`tenant` text NOT NULL,
	`fingerprint` text NOT NULL,
	`labels` text NOT NULL,
	`first_seen_ms` integer NOT NULL,
	`last_seen_ms` integer NOT NULL,
	PRIMARY KEY(`tenant`, `fingerprint`)
);
