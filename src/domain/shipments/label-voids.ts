// The worker's side of a cancelled order's label: ask the provider for the postage back.
// Runs from the outbox (channel "label"), so it happens after the cancellation committed and
// is retried while the provider does not answer; a refusal is final and shown on the order page.
import { eq } from 'drizzle-orm';
import type { AppContext } from '../../context.ts';
import { shippingLabels } from '../../db/schema.ts';
import { appendOrderEvent } from '../orders/order-events.ts';
import { DomainError } from '../shared/errors.ts';

export type VoidOutcome = 'voided' | 'refused' | 'retry' | 'nothing';

const SYSTEM = { kind: 'system', name: 'shipping' } as const;

export async function voidRequestedLabel(ctx: AppContext, labelId: string): Promise<{ outcome: VoidOutcome; error?: string }> {
  const [label] = await ctx.db.select().from(shippingLabels).where(eq(shippingLabels.id, labelId));
  if (!label || label.status !== 'void_requested') return { outcome: 'nothing' };
  let result: { refunded: boolean; status: string };
  try {
    result = await ctx.shipping.voidLabel(label.providerShipmentId);
  } catch (err) {
    // Not answered: try again later. Refused outright (e.g. never bought): final.
    if (err instanceof DomainError && err.code === 'unavailable') return { outcome: 'retry', error: err.message };
    result = { refunded: false, status: (err as Error).message };
  }
  const now = ctx.clock.now();
  await ctx.db.transaction(async (tx) => {
    await tx
      .update(shippingLabels)
      .set(result.refunded ? { status: 'voided', voidedAt: now, lastError: null } : { status: 'void_failed', lastError: result.status.slice(0, 500) })
      .where(eq(shippingLabels.id, label.id));
    await appendOrderEvent(tx, {
      orderId: label.orderId,
      type: 'label',
      actor: SYSTEM,
      internal: true,
      details: {
        labelId: label.id,
        trackingNumber: label.trackingNumber,
        message: result.refunded
          ? `Label ${label.trackingNumber ?? ''} voided; the postage is refunded (${result.status})`
          : `Label ${label.trackingNumber ?? ''} could not be voided (${result.status}): ask the provider for a refund`,
      },
      at: now,
    });
  });
  return result.refunded ? { outcome: 'voided' } : { outcome: 'refused', error: result.status };
}
