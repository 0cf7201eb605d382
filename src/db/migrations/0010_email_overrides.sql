CREATE TABLE "email_override_history" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"template" text NOT NULL,
	"action" text NOT NULL,
	"staff_id" uuid,
	"staff_name" text NOT NULL,
	"before" jsonb NOT NULL,
	"after" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "email_overrides" (
	"template" text PRIMARY KEY NOT NULL,
	"subject" text,
	"intro" text,
	"closing" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" uuid
);
--> statement-breakpoint
ALTER TABLE "email_override_history" ADD CONSTRAINT "email_override_history_staff_id_staff_id_fk" FOREIGN KEY ("staff_id") REFERENCES "public"."staff"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "email_overrides" ADD CONSTRAINT "email_overrides_updated_by_staff_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."staff"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "email_override_history_template_idx" ON "email_override_history" USING btree ("template","created_at");