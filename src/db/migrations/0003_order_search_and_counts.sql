-- Order search at scale: staff search by part of the order number and by part of the
-- customer's name ("%…%"), which B-tree indexes cannot serve. Trigram indexes can.
CREATE EXTENSION IF NOT EXISTS pg_trgm;--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "orders_name_trgm_idx" ON "orders" USING gin (lower("shipping_address"->>'name') gin_trgm_ops);--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "orders_number_trgm_idx" ON "orders" USING gin (replace("number", '-', '') gin_trgm_ops);--> statement-breakpoint
-- Orders per status, kept by one statement-level trigger: it sees every inserted, updated
-- or deleted row at once (transition tables), so a bulk insert costs one upsert per status.
-- Each delta goes to a random one of 8 shards so concurrent checkouts rarely wait on each other.
CREATE FUNCTION "order_status_counts_apply"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO order_status_counts (status, shard, count)
      SELECT status, floor(random() * 8)::int, count(*)::int FROM new_rows GROUP BY status
      ON CONFLICT (status, shard) DO UPDATE SET count = order_status_counts.count + excluded.count;
  ELSIF TG_OP = 'UPDATE' THEN
    INSERT INTO order_status_counts (status, shard, count)
      SELECT status, floor(random() * 8)::int, sum(delta)::int
      FROM (SELECT status, 1 AS delta FROM new_rows UNION ALL SELECT status, -1 FROM old_rows) d
      GROUP BY status HAVING sum(delta) <> 0
      ON CONFLICT (status, shard) DO UPDATE SET count = order_status_counts.count + excluded.count;
  ELSE
    INSERT INTO order_status_counts (status, shard, count)
      SELECT status, floor(random() * 8)::int, -count(*)::int FROM old_rows GROUP BY status
      ON CONFLICT (status, shard) DO UPDATE SET count = order_status_counts.count + excluded.count;
  END IF;
  RETURN NULL;
END
$$;--> statement-breakpoint
CREATE TRIGGER "orders_status_counts_insert" AFTER INSERT ON "orders" REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "order_status_counts_apply"();--> statement-breakpoint
CREATE TRIGGER "orders_status_counts_update" AFTER UPDATE ON "orders" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "order_status_counts_apply"();--> statement-breakpoint
CREATE TRIGGER "orders_status_counts_delete" AFTER DELETE ON "orders" REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "order_status_counts_apply"();--> statement-breakpoint
-- Orders made before this migration.
INSERT INTO "order_status_counts" (status, shard, count) SELECT status, 0, count(*)::int FROM "orders" GROUP BY status;
