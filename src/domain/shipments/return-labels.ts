// A prepaid return label for an approved return or exchange: bought through the shipping
// provider (EasyPost's is_return shipment, cheapest rate), stored with the case, and sent to the
// customer in the return-approved email again, now with a link to print it. The link is a signed
// token, so it works without signing in and cannot be guessed.
import { and, eq, inArray } from 'drizzle-orm';
import type { AppContext } from '../../context.ts';
import { orders, shippingLabels, variants } from '../../db/schema.ts';
import { appendOrderEvent, type Actor } from '../orders/order-events.ts';
import { caseItems, emailCustomer, findReturnCase } from '../returns/return-cases.ts';
import { DomainError, notFound } from '../shared/errors.ts';
import { signToken, verifyToken } from '../shared/signed-token.ts';
import { labelBlobKey, shipFromAddress, type ShippingLabel } from './labels.ts';

const TOKEN_PURPOSE = 'return-label';
/** A return label link works for as long as a tracking link does. */
const LINK_TTL_MS = 60 * 24 * 3_600_000;

/** The customer's link to print the label. */
export function returnLabelUrl(ctx: AppContext, labelId: string): string {
  const token = signToken(ctx.secret, TOKEN_PURPOSE, labelId, new Date(ctx.clock.now().getTime() + LINK_TTL_MS));
  return `${ctx.config.publicUrl}/returns/label?t=${encodeURIComponent(token)}`;
}

/** The label PDF a customer's link points at; undefined for a forged or expired link. */
export async function returnLabelPdf(ctx: AppContext, token: string): Promise<Buffer | undefined> {
  const id = verifyToken(ctx.secret, TOKEN_PURPOSE, token, ctx.clock.now());
  if (!id) return undefined;
  const [label] = await ctx.db.select({ key: shippingLabels.labelKey }).from(shippingLabels).where(and(eq(shippingLabels.id, id), eq(shippingLabels.kind, 'return')));
  return label?.key ? (await ctx.blobs.get(label.key))?.bytes : undefined;
}

/** The case's return label, if one was bought. */
export async function returnLabelOf(ctx: AppContext, returnCaseId: string): Promise<ShippingLabel | undefined> {
  const [label] = await ctx.db.select().from(shippingLabels).where(and(eq(shippingLabels.returnCaseId, returnCaseId), eq(shippingLabels.kind, 'return')));
  return label;
}

/**
 * Buys the return label for an approved return or exchange and emails it. One label per case:
 * the row (unique key per case) is written before buying, so a second press finds it instead.
 */
export async function attachReturnLabel(ctx: AppContext, ref: string, actor: Actor): Promise<ShippingLabel> {
  if (!ctx.shipping.buysLabels) throw new DomainError('unavailable', 'No shipping provider is set up, so return labels cannot be bought here.');
  const rc = await findReturnCase(ctx.db, ref);
  if (!rc) throw notFound('Return case');
  if (rc.status !== 'approved' || rc.type === 'refund') throw new DomainError('invalid_transition', 'A return label goes with an approved return or exchange, before the goods come back.');
  const existing = await returnLabelOf(ctx, rc.id);
  if (existing?.status === 'purchased') return existing;
  if (existing) throw new DomainError('conflict', 'A return label is already being bought for this case; look it up in the shipping provider before trying again.');

  const [order] = await ctx.db.select().from(orders).where(eq(orders.id, rc.orderId));
  const items = await caseItems(ctx.db, rc.id);
  const ids = items.map((i) => i.variantId).filter((v): v is string => Boolean(v));
  const weights = new Map((ids.length ? await ctx.db.select({ id: variants.id, g: variants.weightGrams }).from(variants).where(inArray(variants.id, ids)) : []).map((v) => [v.id, v.g]));
  const weightless = items.filter((i) => !i.variantId || !weights.get(i.variantId));
  if (weightless.length) throw new DomainError('validation_failed', `No weight is recorded for ${weightless.map((i) => i.sku).join(', ')}: enter it in the catalog first.`, { fields: {} });
  // The first package preset: returns come back in whatever box the customer has, priced by weight.
  const preset = ctx.settings().parcels.packages[0];
  if (!preset) throw new DomainError('conflict', 'Add a package preset under Settings → Packages first.');
  const weightGrams = items.reduce((g, i) => g + weights.get(i.variantId!)! * i.quantity, preset.emptyWeightGrams);
  const parcel = { preset: preset.name, weightGrams, lengthMm: preset.lengthMm, widthMm: preset.widthMm, heightMm: preset.heightMm };

  const [row] = await ctx.db
    .insert(shippingLabels)
    .values({ orderId: order!.id, kind: 'return', returnCaseId: rc.id, provider: ctx.shipping.name, idempotencyKey: `return:${rc.id}`, status: 'buying', providerShipmentId: '', parcel, items: items.map((i) => ({ orderItemId: i.orderItemId, quantity: i.quantity })), createdAt: ctx.clock.now() })
    .onConflictDoNothing()
    .returning();
  if (!row) throw new DomainError('conflict', 'A return label is already being bought for this case.');

  const a = order!.shippingAddress;
  let bought;
  try {
    bought = await ctx.shipping.createReturnLabel({
      shop: shipFromAddress(ctx),
      customer: { name: a.name, line1: a.line1, line2: a.line2, city: a.city, state: a.state, postalCode: a.postalCode, country: 'US', phone: order!.phone, email: order!.email },
      parcel,
      reference: row.id,
    });
  } catch (err) {
    // Nothing is known to be bought when the provider refused: the case may try again.
    if (!(err instanceof DomainError && err.code === 'unavailable')) await ctx.db.delete(shippingLabels).where(eq(shippingLabels.id, row.id));
    else await ctx.db.update(shippingLabels).set({ lastError: err.message.slice(0, 500) }).where(eq(shippingLabels.id, row.id));
    throw err;
  }
  await ctx.blobs.put(ctx.db, labelBlobKey(row.id), { contentType: 'application/pdf', bytes: bought.pdf });
  return ctx.db.transaction(async (tx) => {
    const [label] = await tx
      .update(shippingLabels)
      .set({
        status: 'purchased',
        providerShipmentId: bought.providerShipmentId,
        carrier: bought.carrier,
        service: bought.service,
        amount: bought.amount,
        trackingNumber: bought.trackingNumber,
        trackerId: bought.trackerId,
        labelKey: labelBlobKey(row.id),
        purchasedAt: ctx.clock.now(),
      })
      .where(eq(shippingLabels.id, row.id))
      .returning();
    await appendOrderEvent(tx, {
      orderId: order!.id,
      type: 'label',
      actor,
      internal: true,
      details: { labelId: row.id, returnCase: rc.number, message: `Return label for ${rc.number}: ${bought.carrier} ${bought.service} ${bought.trackingNumber}` },
      at: ctx.clock.now(),
    });
    await emailCustomer(ctx, tx, 'return_approved', order!, rc, items, { returnLabelUrl: returnLabelUrl(ctx, row.id) });
    return label!;
  });
}
