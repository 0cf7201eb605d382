ALTER TABLE "return_cases" ADD COLUMN "replacement_order_id" uuid;--> statement-breakpoint
ALTER TABLE "return_items" ADD COLUMN "condition" text;--> statement-breakpoint
ALTER TABLE "return_cases" ADD CONSTRAINT "return_cases_replacement_order_id_orders_id_fk" FOREIGN KEY ("replacement_order_id") REFERENCES "public"."orders"("id") ON DELETE set null ON UPDATE no action;