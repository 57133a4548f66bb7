CREATE TABLE `rule_groups` (
	`tenant` text NOT NULL,
	`namespace` text NOT NULL,
	`name` text NOT NULL,
	`body` text NOT NULL,
	`updated_ms` integer NOT NULL,
	PRIMARY KEY(`tenant`, `namespace`, `name`)
);
