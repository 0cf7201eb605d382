-- Every change to an order or anything under it announces the order's id on commit, so
-- each instance can drop what it cached about that order (the tracking view). A trigger
-- means no writer can forget; PostgreSQL sends one notification per order per transaction.
CREATE OR REPLACE FUNCTION casanova_notify_order_change() RETURNS trigger AS $$
DECLARE
  changed uuid;
BEGIN
  IF TG_TABLE_NAME = 'orders' THEN
    changed := COALESCE(NEW.id, OLD.id);
  ELSIF TG_TABLE_NAME = 'carrier_events' THEN
    SELECT order_id INTO changed FROM shipments WHERE id = COALESCE(NEW.shipment_id, OLD.shipment_id);
  ELSE
    changed := COALESCE(NEW.order_id, OLD.order_id);
  END IF;
  IF changed IS NOT NULL THEN
    PERFORM pg_notify('casanova_order_changed', changed::text);
  END IF;
  RETURN NULL;
END
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER orders_notify_change AFTER INSERT OR UPDATE OR DELETE ON orders FOR EACH ROW EXECUTE FUNCTION casanova_notify_order_change();
--> statement-breakpoint
CREATE TRIGGER order_items_notify_change AFTER INSERT OR UPDATE OR DELETE ON order_items FOR EACH ROW EXECUTE FUNCTION casanova_notify_order_change();
--> statement-breakpoint
CREATE TRIGGER order_events_notify_change AFTER INSERT OR UPDATE OR DELETE ON order_events FOR EACH ROW EXECUTE FUNCTION casanova_notify_order_change();
--> statement-breakpoint
CREATE TRIGGER shipments_notify_change AFTER INSERT OR UPDATE OR DELETE ON shipments FOR EACH ROW EXECUTE FUNCTION casanova_notify_order_change();
--> statement-breakpoint
CREATE TRIGGER carrier_events_notify_change AFTER INSERT OR UPDATE OR DELETE ON carrier_events FOR EACH ROW EXECUTE FUNCTION casanova_notify_order_change();
--> statement-breakpoint
CREATE TRIGGER refunds_notify_change AFTER INSERT OR UPDATE OR DELETE ON refunds FOR EACH ROW EXECUTE FUNCTION casanova_notify_order_change();
--> statement-breakpoint
CREATE TRIGGER order_requests_notify_change AFTER INSERT OR UPDATE OR DELETE ON order_requests FOR EACH ROW EXECUTE FUNCTION casanova_notify_order_change();
--> statement-breakpoint
CREATE TRIGGER return_cases_notify_change AFTER INSERT OR UPDATE OR DELETE ON return_cases FOR EACH ROW EXECUTE FUNCTION casanova_notify_order_change();
--> statement-breakpoint
CREATE TRIGGER support_cases_notify_change AFTER INSERT OR UPDATE OR DELETE ON support_cases FOR EACH ROW EXECUTE FUNCTION casanova_notify_order_change();
