CREATE TABLE "checkout_contacts" (
	"cart_id" text PRIMARY KEY NOT NULL,
	"email" text NOT NULL,
	"lines" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"remind_at" timestamp with time zone NOT NULL,
	"handled_at" timestamp with time zone,
	"outcome" text
);
--> statement-breakpoint
CREATE TABLE "email_suppressions" (
	"email" text PRIMARY KEY NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "checkout_contacts" ADD CONSTRAINT "checkout_contacts_cart_id_carts_id_fk" FOREIGN KEY ("cart_id") REFERENCES "public"."carts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "checkout_contacts_due_idx" ON "checkout_contacts" USING btree ("remind_at") WHERE handled_at is null;--> statement-breakpoint
CREATE INDEX "checkout_contacts_captured_idx" ON "checkout_contacts" USING btree ("created_at");