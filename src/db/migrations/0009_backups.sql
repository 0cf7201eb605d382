CREATE TABLE "backups" (
	"id" serial PRIMARY KEY NOT NULL,
	"slot" text NOT NULL,
	"status" text DEFAULT 'running' NOT NULL,
	"requested_by" text NOT NULL,
	"file_name" text,
	"size_bytes" bigint,
	"error" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	CONSTRAINT "backups_slot_unique" UNIQUE("slot")
);
