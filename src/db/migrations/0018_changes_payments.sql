ALTER TABLE "orders" ADD COLUMN "awaiting_payment_id" uuid;--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "purpose" text DEFAULT 'order' NOT NULL;