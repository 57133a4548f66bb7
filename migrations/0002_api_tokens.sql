CREATE TABLE `api_tokens` (
	`id` text PRIMARY KEY NOT NULL,
	`hash` text NOT NULL,
	`tenants` text NOT NULL,
	`scopes` text NOT NULL,
	`name` text NOT NULL,
	`created_ms` integer NOT NULL
);
