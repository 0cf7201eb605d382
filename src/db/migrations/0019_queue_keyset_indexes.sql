-- The queue pages by keyset: "the orders after this one" in (created_at, number) order, the
-- number breaking ties. With number in the index the row comparison and the sort are one
-- range scan, forwards for the working tabs and backwards for delivered and cancelled;
-- without it every page would re-sort the orders of its last timestamp. Rebuilding both
-- indexes at a million orders takes seconds and blocks writes to orders meanwhile (it runs
-- in the migration's transaction, so CONCURRENTLY is not possible): run it off-peak.
DROP INDEX "orders_status_created_idx";--> statement-breakpoint
DROP INDEX "orders_created_idx";--> statement-breakpoint
CREATE INDEX "orders_status_created_idx" ON "orders" USING btree ("status","created_at","number");--> statement-breakpoint
CREATE INDEX "orders_created_idx" ON "orders" USING btree ("created_at","number");
