// Buying postage for a packed order through the shipping provider, in two steps staff see:
// quote (package, contents → the parcel's weight and size, address check, the provider's
// rates) and buy (one of those rates). The idempotency key and the chosen rate are committed
// before the provider is asked to buy, so a purchase retried after a timeout asks about the
// same shipment and finds the label already bought instead of buying another. The label PDF
// goes to the blob store; carrier and tracking number wait on the label for the handover.
import { randomUUID } from 'node:crypto';
import { and, desc, eq, inArray, isNull } from 'drizzle-orm';
import type { AppContext } from '../../context.ts';
import type { Conn } from '../../db/client.ts';
import { orders, shippingLabels, variants, type LabelItem } from '../../db/schema.ts';
import { appendOrderEvent, type Actor } from '../orders/order-events.ts';
import { canonicalOrderNumber } from '../orders/order-number.ts';
import { lockOrder, putOnHold } from '../orders/order-service.ts';
import { ORDER_STATES } from '../orders/order-states.ts';
import type { PackagePreset } from '../settings/store-settings.ts';
import { DomainError, notFound, validationFailed } from '../shared/errors.ts';
import { isCarrier, normalizeTrackingNumber, type Carrier } from './carriers.ts';
import { linesLeftToShip, parcelContents, type LineLeft } from './shipment-contents.ts';
import type { PostalAddress } from './shipping-provider.ts';

export type ShippingLabel = typeof shippingLabels.$inferSelect;

export type QuoteResult = { kind: 'quoted'; label: ShippingLabel } | { kind: 'held'; reason: string };

/** The label PDF's key in the blob store. */
export const labelBlobKey = (labelId: string) => `labels/${labelId}.pdf`;

/** The provider's carrier names (USPS, UPS, FedEx, DHLExpress, …) → the store's carriers. */
export function carrierOfLabel(providerCarrier: string): Carrier {
  const c = providerCarrier.replace(/[^a-z]/gi, '').toLowerCase();
  if (c.startsWith('dhl')) return 'DHL';
  if (c.startsWith('fedex')) return 'FedEx';
  const known = ['UPS', 'USPS'].find((k) => k.toLowerCase() === c);
  return known && isCarrier(known) ? known : 'other';
}

/** The shop's ship-from address from settings. */
export function shipFromAddress(ctx: AppContext): PostalAddress {
  const f = ctx.settings().parcels.shipFrom;
  return { name: f.name, line1: f.line1, line2: f.line2 || undefined, city: f.city, state: f.state, postalCode: f.postalCode, country: 'US', phone: f.phone || undefined };
}

async function findOrder(ctx: AppContext, number: string) {
  const canonical = canonicalOrderNumber(number);
  const [order] = canonical ? await ctx.db.select().from(orders).where(eq(orders.number, canonical)) : [];
  if (!order) throw notFound('Order');
  return order;
}

/** Weight of the goods plus the empty package; a unit without a weight is a clear refusal naming it. */
async function parcelWeight(ctx: AppContext, contents: LabelItem[], left: LineLeft[], preset: PackagePreset): Promise<number> {
  const lines = contents.map((c) => left.find((l) => l.orderItemId === c.orderItemId)!);
  const ids = lines.map((l) => l.variantId).filter((id): id is string => Boolean(id));
  const weights = new Map((ids.length ? await ctx.db.select({ id: variants.id, g: variants.weightGrams }).from(variants).where(inArray(variants.id, ids)) : []).map((v) => [v.id, v.g]));
  const weightless = lines.filter((l) => !l.variantId || !weights.get(l.variantId));
  if (weightless.length) {
    const names = weightless.map((l) => `${l.productName} (${l.sku})`).join(', ');
    const message = `No weight is recorded for ${names}: enter it in the catalog first, since carriers price labels by weight.`;
    throw validationFailed({ package: message }, message);
  }
  return contents.reduce((g, c, i) => g + weights.get(lines[i]!.variantId!)! * c.quantity, preset.emptyWeightGrams);
}

/** What a new label may carry: units not shipped yet and not on a bought label still waiting for its handover. */
export async function linesLeftForLabel(conn: Conn, orderId: string): Promise<LineLeft[]> {
  const [lines, waiting] = await Promise.all([
    linesLeftToShip(conn, orderId),
    conn
      .select({ items: shippingLabels.items })
      .from(shippingLabels)
      .where(and(eq(shippingLabels.orderId, orderId), eq(shippingLabels.kind, 'outbound'), eq(shippingLabels.status, 'purchased'), isNull(shippingLabels.shipmentId))),
  ]);
  const onLabels = (id: string) => waiting.flatMap((w) => w.items).filter((i) => i.orderItemId === id).reduce((n, i) => n + i.quantity, 0);
  return lines.map((l) => ({ ...l, left: Math.max(0, l.left - onLabels(l.orderItemId)) }));
}

/**
 * Step one: the parcel (package preset + contents), the address check, the provider's rates.
 * A failed address check puts a packed order on hold with the provider's reason, and nothing is quoted.
 */
export async function quoteLabel(ctx: AppContext, number: string, actor: Actor, input: { packageName: string; items?: LabelItem[] }): Promise<QuoteResult> {
  if (!ctx.shipping.buysLabels) throw new DomainError('unavailable', 'No shipping provider is set up: hand the order over with the carrier and tracking number from your own label.');
  const order = await findOrder(ctx, number);
  if (order.status !== 'packed' && order.status !== 'shipped') {
    throw new DomainError('invalid_transition', `Labels are bought once the order is packed; this one is ${ORDER_STATES[order.status as keyof typeof ORDER_STATES]?.toLowerCase() ?? order.status}.`);
  }
  const preset = ctx.settings().parcels.packages.find((p) => p.name === input.packageName);
  if (!preset) throw validationFailed({ package: 'Choose the package the goods are packed in.' });
  const left = await linesLeftForLabel(ctx.db, order.id);
  const contents = parcelContents(left, input.items);
  const weightGrams = await parcelWeight(ctx, contents, left, preset);

  const a = order.shippingAddress;
  const to: PostalAddress = { name: a.name, line1: a.line1, line2: a.line2, city: a.city, state: a.state, postalCode: a.postalCode, country: 'US', phone: order.phone, email: order.email };
  const check = await ctx.shipping.verifyAddress(to);
  if (!check.ok) {
    // A shipped order (a later parcel) cannot go back on hold: the reason is shown instead.
    if (order.status !== 'packed') throw new DomainError('conflict', check.reason);
    await putOnHold(ctx, order.number, actor, { reason: check.reason.slice(0, 500) });
    return { kind: 'held', reason: check.reason };
  }

  const id = randomUUID();
  const parcel = { preset: preset.name, weightGrams, lengthMm: preset.lengthMm, widthMm: preset.widthMm, heightMm: preset.heightMm };
  const quote = await ctx.shipping.rates({ from: shipFromAddress(ctx), to, parcel, reference: id });
  if (quote.rates.length === 0) throw new DomainError('conflict', 'The shipping provider offered no rate for this parcel: check its size and weight.');
  const [label] = await ctx.db
    .insert(shippingLabels)
    .values({
      id,
      orderId: order.id,
      provider: ctx.shipping.name,
      idempotencyKey: `label:${id}`,
      providerShipmentId: quote.providerShipmentId,
      parcel,
      items: contents,
      rates: quote.rates,
      staffId: actor.kind === 'staff' ? actor.staffId : null,
      createdAt: ctx.clock.now(),
    })
    .returning();
  return { kind: 'quoted', label: label! };
}

/**
 * Step two: buys `rateId` of a quoted label. Pressing Buy again (a timeout, a double click, a
 * second tab) buys nothing new: a bought label is returned as it is, and a purchase whose
 * answer was lost is asked about under the same provider shipment and key.
 */
export async function buyLabel(ctx: AppContext, number: string, labelId: string, rateId: string, actor: Actor): Promise<{ label: ShippingLabel; alreadyBought: boolean }> {
  const claimed = await ctx.db.transaction(async (tx) => {
    const order = await lockOrder(tx, number);
    const [label] = await tx.select().from(shippingLabels).where(and(eq(shippingLabels.id, labelId), eq(shippingLabels.orderId, order.id))).for('update');
    if (!label) throw notFound('Label');
    if (label.status === 'purchased') return { label, done: true };
    if (label.status !== 'quoted' && label.status !== 'buying') throw new DomainError('conflict', `This label is ${label.status.replace(/_/g, ' ')}; get new rates instead.`);
    if (order.status !== 'packed' && order.status !== 'shipped') throw new DomainError('invalid_transition', 'Labels are bought for packed orders only.');
    // A retry buys what the first attempt chose, whatever the form says now.
    const chosen = label.status === 'buying' ? label.rateId! : rateId;
    const rate = label.rates.find((r) => r.id === chosen);
    if (!rate) throw validationFailed({ rateId: 'Choose one of the rates shown.' });
    const [updated] = await tx
      .update(shippingLabels)
      .set({ status: 'buying', rateId: rate.id, carrier: rate.carrier, service: rate.service, amount: rate.amount, staffId: actor.kind === 'staff' ? actor.staffId : label.staffId })
      .where(eq(shippingLabels.id, label.id))
      .returning();
    return { label: updated!, done: false };
  });
  if (claimed.done) return { label: claimed.label, alreadyBought: true };

  let bought;
  try {
    bought = await ctx.shipping.buyLabel({ providerShipmentId: claimed.label.providerShipmentId, rateId: claimed.label.rateId!, idempotencyKey: claimed.label.idempotencyKey });
  } catch (err) {
    await ctx.db.update(shippingLabels).set({ lastError: (err as Error).message.slice(0, 500) }).where(eq(shippingLabels.id, labelId));
    throw err;
  }
  await ctx.blobs.put(ctx.db, labelBlobKey(labelId), { contentType: 'application/pdf', bytes: bought.pdf });
  const label = await ctx.db.transaction(async (tx) => {
    const order = await lockOrder(tx, number);
    const [updated] = await tx
      .update(shippingLabels)
      .set({
        status: 'purchased',
        carrier: bought.carrier,
        service: bought.service,
        amount: bought.amount,
        trackingNumber: normalizeTrackingNumber(bought.trackingNumber),
        trackerId: bought.trackerId,
        labelKey: labelBlobKey(labelId),
        purchasedAt: ctx.clock.now(),
        lastError: null,
      })
      .where(and(eq(shippingLabels.id, labelId), eq(shippingLabels.status, 'buying')))
      .returning();
    if (!updated) return (await tx.select().from(shippingLabels).where(eq(shippingLabels.id, labelId)))[0]!;
    await appendOrderEvent(tx, {
      orderId: order.id,
      type: 'label',
      actor,
      internal: true,
      details: { labelId, carrier: bought.carrier, service: bought.service, amount: bought.amount, trackingNumber: bought.trackingNumber, message: `Label bought: ${bought.carrier} ${bought.service} ${bought.trackingNumber}` },
      at: ctx.clock.now(),
    });
    return updated;
  });
  return { label, alreadyBought: false };
}

/** The order's labels, newest first (the order page's label panel). */
export async function orderLabels(ctx: AppContext, orderId: string): Promise<ShippingLabel[]> {
  return ctx.db.select().from(shippingLabels).where(eq(shippingLabels.orderId, orderId)).orderBy(desc(shippingLabels.createdAt));
}

/** A label's PDF, for the order page's print link; undefined when the label or its file does not exist. */
export async function labelPdf(ctx: AppContext, number: string, labelId: string): Promise<Buffer | undefined> {
  const canonical = canonicalOrderNumber(number);
  if (!canonical || !/^[0-9a-f-]{36}$/i.test(labelId)) return undefined;
  const [row] = await ctx.db
    .select({ key: shippingLabels.labelKey })
    .from(shippingLabels)
    .innerJoin(orders, eq(orders.id, shippingLabels.orderId))
    .where(and(eq(shippingLabels.id, labelId), eq(orders.number, canonical)));
  if (!row?.key) return undefined;
  return (await ctx.blobs.get(row.key))?.bytes;
}
