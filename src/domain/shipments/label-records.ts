// The label rows' part in order verbs, kept apart from labels.ts (which calls the verbs) so
// the order service can use them without a cycle: the handover takes a bought label's
// contents, and a cancellation asks for the postage back through the outbox.
import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { Tx } from '../../db/client.ts';
import { outbox, shippingLabels, type LabelItem } from '../../db/schema.ts';
import { wakeOutboxWorkers } from '../notifications/outbox.ts';

/** Outbox channel of label voids: the worker asks the provider, retrying while it does not answer. */
export const LABEL_OUTBOX_CHANNEL = 'label';

/**
 * At the handover: the bought, not yet handed-over label with this tracking number becomes
 * the shipment's label, and its contents the shipment's contents. Undefined: no such label.
 */
export async function takeLabelForShipment(tx: Tx, orderId: string, trackingNumber: string, shipmentId: string): Promise<LabelItem[] | undefined> {
  const [label] = await tx
    .update(shippingLabels)
    .set({ shipmentId })
    .where(
      and(
        eq(shippingLabels.orderId, orderId),
        eq(shippingLabels.kind, 'outbound'),
        eq(shippingLabels.status, 'purchased'),
        eq(shippingLabels.trackingNumber, trackingNumber),
        isNull(shippingLabels.shipmentId),
      ),
    )
    .returning({ items: shippingLabels.items });
  return label ? label.items : undefined;
}

/**
 * In the cancellation's transaction: every label bought (or being bought) for the order is
 * marked for voiding and an outbox row asks the worker to get the postage back after commit.
 */
export async function requestLabelVoids(tx: Tx, orderId: string): Promise<number> {
  const marked = await tx
    .update(shippingLabels)
    .set({ status: 'void_requested' })
    .where(and(eq(shippingLabels.orderId, orderId), eq(shippingLabels.kind, 'outbound'), inArray(shippingLabels.status, ['purchased', 'buying'])))
    .returning({ id: shippingLabels.id });
  if (marked.length === 0) return 0;
  // No order id on the row: it is not a message to the customer, so the order's notification log leaves it out.
  await tx.insert(outbox).values(marked.map((l) => ({ channel: LABEL_OUTBOX_CHANNEL, template: 'label_void', recipient: l.id, payload: { labelId: l.id, orderId } })));
  await wakeOutboxWorkers(tx);
  return marked.length;
}
