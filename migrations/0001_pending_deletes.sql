CREATE TABLE `pending_deletes` (
	`object_key` text PRIMARY KEY NOT NULL,
	`delete_after_ms` integer NOT NULL
);
