-- The "open" queue tab (every order not yet shipped, oldest first) at a million orders: the
-- open orders are a few thousand recent ones among a year of delivered ones, so walking
-- orders_created_idx from the oldest filters out almost the whole table. A partial index
-- holds only the open orders, already in queue order. The list must stay the same as
-- BEFORE_SHIPPING in src/domain/orders/order-states.ts, or the planner cannot use it.
CREATE INDEX IF NOT EXISTS "orders_open_created_idx" ON "orders" ("created_at", "number") WHERE "status" IN ('paid', 'verified', 'on_hold', 'preparing', 'packed');
--> statement-breakpoint
-- 32 shards instead of 8: a checkout holds its shard row until it commits, so at 50
-- concurrent checkouts 8 rows would make some of them wait on each other.
CREATE OR REPLACE FUNCTION "order_status_counts_apply"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO order_status_counts (status, shard, count)
      SELECT status, floor(random() * 32)::int, count(*)::int FROM new_rows GROUP BY status
      ON CONFLICT (status, shard) DO UPDATE SET count = order_status_counts.count + excluded.count;
  ELSIF TG_OP = 'UPDATE' THEN
    INSERT INTO order_status_counts (status, shard, count)
      SELECT status, floor(random() * 32)::int, sum(delta)::int
      FROM (SELECT status, 1 AS delta FROM new_rows UNION ALL SELECT status, -1 FROM old_rows) d
      GROUP BY status HAVING sum(delta) <> 0
      ON CONFLICT (status, shard) DO UPDATE SET count = order_status_counts.count + excluded.count;
  ELSE
    INSERT INTO order_status_counts (status, shard, count)
      SELECT status, floor(random() * 32)::int, -count(*)::int FROM old_rows GROUP BY status
      ON CONFLICT (status, shard) DO UPDATE SET count = order_status_counts.count + excluded.count;
  END IF;
  RETURN NULL;
END
$$;
