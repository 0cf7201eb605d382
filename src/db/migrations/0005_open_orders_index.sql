-- The "open" queue tab (every order not yet shipped, oldest first) at a million orders: the
-- open orders are a few thousand recent ones among a year of delivered ones, so walking
-- orders_created_idx from the oldest filters out almost the whole table. A partial index
-- holds only the open orders, already in queue order. The list must stay the same as
-- BEFORE_SHIPPING in src/domain/orders/order-states.ts, or the planner cannot use it.
CREATE INDEX IF NOT EXISTS "orders_open_created_idx" ON "orders" ("created_at", "number") WHERE "status" IN ('paid', 'verified', 'on_hold', 'preparing', 'packed');
