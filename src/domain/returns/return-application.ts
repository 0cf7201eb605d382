// A customer applies for a return, an exchange or a refund only.
//
// The order must match the customer's email or phone exactly as tracking does
// (lookupOrder: same answers for an unknown order and a wrong contact, same rate limits),
// or come from a signed tracking link. Only once delivered, only within the return window
// counted from delivery (409 with a reason the customer can read), and per line never more
// units than were delivered minus those already in a case: the per-line counter
// return_requested_quantity moves by a conditional UPDATE in the same transaction, so two
// applications at once cannot both take the last unit.
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { AppContext } from '../../context.ts';
import type { Tx } from '../../db/client.ts';
import { orderItems, products, returnCases, returnItems, variants } from '../../db/schema.ts';
import { enqueueEmail } from '../notifications/outbox.ts';
import type { ReturnCasePayload } from '../notifications/email-payloads.ts';
import { appendOrderEvent, type Actor } from '../orders/order-events.ts';
import { lockOrder } from '../orders/order-service.ts';
import { DomainError, validationFailed, type FieldErrors } from '../shared/errors.ts';
import { readableNumber } from '../shared/ids.ts';
import { imageBlobKey, storeImage } from '../storage/images.ts';
import { PHOTO_PREFIX } from '../support/delivery-problem.ts';
import { openSupportCase } from '../support/support-cases.ts';
import { lookupOrder, type OrderRef } from '../tracking/lookup.ts';
import { trackingUrl } from '../tracking/tracking-token.ts';
import { forgetTrackedOrder } from '../tracking/tracking-view.ts';
import { itemLabel } from './return-cases.ts';
import { deliveredAt, eligibility } from './return-eligibility.ts';
import { CONDITION_MAX, MAX_RETURN_PHOTOS, RETURN_REASONS, isReturnReason, type ReturnReason } from './return-rules.ts';
import { RETURN_TYPES, isReturnType, type ReturnStatus, type ReturnType } from './return-states.ts';

export type ReturnLine = { sku: string; quantity: number };

export type NewReturn = {
  type: string;
  items: ReturnLine[];
  reason: string;
  /** The customer's description of the product's condition (required). */
  condition: string;
  /** Pictures as uploaded (checked by content and size; stored away from public URLs). */
  photos?: Buffer[];
  /** Exchanges: the variants wanted instead (same products); the same variants when omitted. */
  exchangeFor?: ReturnLine[];
};
export type ReturnApplication = NewReturn & { orderNumber: string; contact: string; clientIp: string };

/** What the customer is told after applying: the case (RMA) number and the support case number to quote. */
export type OpenedReturn = { id: string; number: string; status: ReturnStatus; type: ReturnType; caseNumber: string; orderNumber: string };

const CUSTOMER: Actor = { kind: 'customer' };
const MAX_LINES = 50;

type Parsed = { type: ReturnType; reason: ReturnReason; condition: string; items: ReturnLine[]; photos: Buffer[]; exchangeFor?: ReturnLine[] };

const isCount = (n: unknown): n is number => typeof n === 'number' && Number.isInteger(n) && n > 0 && n <= 10_000;

function parseLines(lines: unknown, field: string, errors: FieldErrors): ReturnLine[] {
  if (!Array.isArray(lines) || lines.length > MAX_LINES) {
    errors[field] = 'Choose at least one item.';
    return [];
  }
  const merged = new Map<string, number>();
  lines.forEach((line: Partial<ReturnLine> | undefined, i) => {
    const sku = typeof line?.sku === 'string' ? line.sku.trim() : '';
    if (!sku) errors[`${field}.${i}.sku`] = 'Say which item (its SKU).';
    else if (!isCount(line?.quantity)) errors[`${field}.${i}.quantity`] = `Enter how many of ${sku}, a whole number of 1 or more.`;
    else merged.set(sku, (merged.get(sku) ?? 0) + line.quantity);
  });
  return [...merged].map(([sku, quantity]) => ({ sku, quantity }));
}

function parseNewReturn(input: NewReturn): Parsed {
  const errors: FieldErrors = {};
  const condition = (input.condition ?? '').trim();
  if (!isReturnType(input.type)) errors.type = 'Choose what you would like: a return, an exchange or a refund only.';
  if (!isReturnReason(input.reason)) errors.reason = 'Choose the reason from the list.';
  if (!condition) errors.condition = 'Describe the condition of the product: what is wrong, and whether it has been used or unpacked.';
  else if (condition.length > CONDITION_MAX) errors.condition = `Keep the description under ${CONDITION_MAX.toLocaleString('en-US')} characters.`;
  const items = parseLines(input.items, 'items', errors);
  if (!items.length && !Object.keys(errors).some((k) => k.startsWith('items'))) errors.items = 'Choose at least one item and how many.';
  const photos = input.photos ?? [];
  if (photos.length > MAX_RETURN_PHOTOS) errors.photos = `Attach at most ${MAX_RETURN_PHOTOS} photos.`;
  const exchangeFor = input.type === 'exchange' && input.exchangeFor !== undefined ? parseLines(input.exchangeFor, 'exchangeFor', errors) : undefined;
  if (Object.keys(errors).length) throw validationFailed(errors);
  return { type: input.type as ReturnType, reason: input.reason as ReturnReason, condition, items, photos, ...(exchangeFor ? { exchangeFor } : {}) };
}

/**
 * An application from someone who gives the order number and the email or phone used for it.
 * Unknown order or wrong contact: the tracking lookup's one 404 (and its rate limits).
 */
export async function applyForReturn(ctx: AppContext, input: ReturnApplication): Promise<OpenedReturn> {
  parseNewReturn(input);
  const order = await lookupOrder(ctx, { orderNumber: input.orderNumber, contact: input.contact, clientIp: input.clientIp });
  return applyForReturnFor(ctx, order, input);
}

type OrderLine = typeof orderItems.$inferSelect;
type Planned = { line: OrderLine; quantity: number; exchange: { variantId: string; sku: string; quantity: number } | null };

/** An application for an order the customer already proved is theirs (a lookup or a signed link). */
export async function applyForReturnFor(ctx: AppContext, ref: OrderRef, input: NewReturn): Promise<OpenedReturn> {
  const outcome = await recordApplyForReturnFor(ctx, ref, input);
  // The customer is sent straight to the tracking page: it must show this change at once.
  forgetTrackedOrder(ctx, ref.id);
  return outcome;
}

async function recordApplyForReturnFor(ctx: AppContext, ref: OrderRef, input: NewReturn): Promise<OpenedReturn> {
  const asked = parseNewReturn(input);
  return ctx.db.transaction(async (tx) => {
    // Stored inside the transaction: a refused application leaves no orphaned photos behind.
    const photos = await storePhotos(ctx, tx, asked.photos);
    const order = await lockOrder(tx, ref.number);
    const ok = eligibility(ctx, order, await deliveredAt(tx, order.id));
    if (!ok.ok) throw ok.error;

    const lines = await tx.select().from(orderItems).where(eq(orderItems.orderId, order.id)).orderBy(asc(orderItems.position));
    const errors: FieldErrors = {};
    const picked = asked.items.flatMap((item, i) => {
      const line = lines.find((l) => l.sku === item.sku);
      if (!line) errors[`items.${i}.sku`] = `Order ${order.number} has no item ${item.sku}.`;
      return line ? [{ line, quantity: item.quantity, index: i }] : [];
    });
    if (Object.keys(errors).length) throw validationFailed(errors);
    const planned = asked.type === 'exchange' ? await planExchange(tx, picked, asked.exchangeFor) : picked.map((p) => ({ ...p, exchange: null }));

    // The counters decide, one conditional UPDATE per line: a concurrent application that took
    // the units first makes this one fail here instead of over-returning.
    for (const p of picked) {
      const [taken] = await tx
        .update(orderItems)
        .set({ returnRequestedQuantity: sql`${orderItems.returnRequestedQuantity} + ${p.quantity}` })
        .where(and(eq(orderItems.id, p.line.id), sql`${orderItems.returnRequestedQuantity} + ${p.quantity} <= ${orderItems.quantity}`))
        .returning({ id: orderItems.id });
      if (taken) continue;
      const [now] = await tx.select({ requested: orderItems.returnRequestedQuantity, quantity: orderItems.quantity }).from(orderItems).where(eq(orderItems.id, p.line.id));
      const left = Math.max(0, now!.quantity - now!.requested);
      const name = itemLabel(p.line.productName, p.line.options);
      const message =
        left === 0
          ? `All ${now!.quantity} of ${p.line.sku} (${name}) are already in a return, exchange or refund request.`
          : `You can send back at most ${left} more of ${p.line.sku} (${name}): ${now!.quantity - left} of the ${now!.quantity} delivered are already in a return, exchange or refund request.`;
      throw new DomainError('conflict', message, { sku: p.line.sku, returnable: left, fields: { [`items.${p.index}.quantity`]: message } });
    }

    const now = ctx.clock.now();
    const number = readableNumber('RMA-');
    const typeLabel = RETURN_TYPES[asked.type];
    const summary = planned.map((p) => `${p.quantity} × ${itemLabel(p.line.productName, p.line.options)} [${p.line.sku}]${p.exchange ? ` → ${p.exchange.sku}` : ''}`);
    const opened = await openSupportCase(tx, ctx, {
      kind: 'after_sales',
      orderId: order.id,
      name: order.shippingAddress.name,
      email: order.email,
      topic: 'Return, exchange or refund',
      subject: `${typeLabel} request — order ${order.number}`,
      details: { orderNumber: order.number, returnNumber: number, returnType: asked.type, reason: asked.reason, photos: photos.length },
      message: [`${typeLabel}: ${summary.join('; ')}`, `Reason: ${RETURN_REASONS[asked.reason]}`, '', asked.condition].join('\n'),
      attachments: photos,
    });
    const [rc] = await tx
      .insert(returnCases)
      .values({
        number,
        orderId: order.id,
        supportCaseId: opened.id,
        type: asked.type,
        status: 'requested',
        reason: asked.reason,
        condition: asked.condition,
        photos,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    await tx.insert(returnItems).values(
      planned.map((p) => ({
        returnCaseId: rc!.id,
        orderItemId: p.line.id,
        quantity: p.quantity,
        exchangeVariantId: p.exchange?.variantId ?? null,
        exchangeQuantity: p.exchange?.quantity ?? null,
      })),
    );
    await appendOrderEvent(tx, {
      orderId: order.id,
      type: 'return',
      actor: CUSTOMER,
      details: {
        returnCaseId: rc!.id,
        number,
        returnType: asked.type,
        status: 'requested',
        caseNumber: opened.number,
        message: `${typeLabel} requested by the customer (${number}, case ${opened.number}): ${summary.join('; ')}`,
      },
      at: now,
    });
    await enqueueEmail(tx, {
      template: 'return_received',
      to: order.email,
      orderId: order.id,
      caseId: opened.id,
      payload: {
        caseNumber: opened.number,
        orderNumber: order.number,
        type: asked.type,
        items: planned.map((p) => ({ name: itemLabel(p.line.productName, p.line.options), quantity: p.quantity })),
        reason: `${RETURN_REASONS[asked.reason]}: ${asked.condition}`,
        rmaNumber: null,
        trackingUrl: trackingUrl(ctx, order.number),
      } satisfies ReturnCasePayload,
    });
    return { id: rc!.id, number, status: 'requested', type: asked.type, caseNumber: opened.number, orderNumber: order.number };
  });
}

async function storePhotos(ctx: AppContext, tx: Tx, photos: Buffer[]): Promise<string[]> {
  const keys: string[] = [];
  for (const [i, photo] of photos.entries()) {
    const stored = await storeImage(tx, ctx.blobs, photo, { prefix: PHOTO_PREFIX }).catch((err: unknown) => {
      if (err instanceof DomainError && (err.code === 'unsupported_media_type' || err.code === 'payload_too_large')) {
        throw validationFailed({ photos: `Photo ${i + 1}: ${err.message}` });
      }
      throw err;
    });
    keys.push(imageBlobKey(stored.imageKey, 'large'));
  }
  return keys;
}

/**
 * Pairs the replacement variants with the units sent back: each wanted variant must belong
 * to the product of an item in the case, every unit sent back needs a replacement (and no
 * more), and the variant must be in stock now. The stock is taken only when staff send it.
 */
async function planExchange(tx: Tx, picked: { line: OrderLine; quantity: number; index: number }[], exchangeFor: ReturnLine[] | undefined): Promise<Planned[]> {
  const wanted = exchangeFor ?? picked.map((p) => ({ sku: p.line.sku, quantity: p.quantity }));
  const productOf = new Map<string, string>();
  const slugs = picked.map((p) => p.line.productSlug);
  for (const row of await tx.select({ id: products.id, slug: products.slug }).from(products).where(inArray(products.slug, slugs))) productOf.set(row.slug, row.id);
  const found = wanted.length
    ? await tx
        .select({ id: variants.id, sku: variants.sku, productId: variants.productId, stock: variants.stock, name: products.name, options: variants.options })
        .from(variants)
        .innerJoin(products, eq(products.id, variants.productId))
        .where(inArray(variants.sku, wanted.map((w) => w.sku)))
    : [];

  const errors: FieldErrors = {};
  const room = picked.map((p) => ({ ...p, left: p.quantity, exchanges: [] as { variantId: string; sku: string; quantity: number }[] }));
  wanted.forEach((w, i) => {
    const v = found.find((f) => f.sku === w.sku);
    if (!v) return void (errors[`exchangeFor.${i}.sku`] = `We have no product with SKU ${w.sku}.`);
    const rows = room.filter((r) => productOf.get(r.line.productSlug) === v.productId);
    if (!rows.length) return void (errors[`exchangeFor.${i}.sku`] = `${w.sku} is not a variant of an item you are sending back: an exchange is for another size or colour of the same product.`);
    let need = w.quantity;
    for (const r of rows) {
      const q = Math.min(need, r.left);
      if (q > 0) r.exchanges.push({ variantId: v.id, sku: v.sku, quantity: q }), (r.left -= q), (need -= q);
    }
    if (need > 0) errors[`exchangeFor.${i}.quantity`] = `You are sending back ${rows.reduce((n, r) => n + r.quantity, 0)} of ${rows[0]!.line.productName}, so you can get as many in exchange, not more.`;
  });
  for (const r of room) {
    if (r.left > 0 && !errors[`items.${r.index}.quantity`]) errors.exchangeFor ??= `Choose a replacement for every item you send back (${r.left} of ${r.line.sku} have none).`;
  }
  if (Object.keys(errors).length) throw validationFailed(errors, 'The replacement does not match the items sent back.');

  const perSku = new Map<string, number>();
  for (const w of wanted) perSku.set(w.sku, (perSku.get(w.sku) ?? 0) + w.quantity);
  for (const [sku, quantity] of perSku) {
    const v = found.find((f) => f.sku === sku)!;
    if (v.stock < quantity) {
      const label = itemLabel(v.name, v.options);
      throw new DomainError(
        'out_of_stock',
        v.stock === 0
          ? `${label} (${sku}) is out of stock, so we cannot send it as a replacement. Choose another variant, or ask for a return instead.`
          : `Only ${v.stock} of ${label} (${sku}) are in stock. Choose fewer, another variant, or ask for a return instead.`,
        { sku, available: v.stock },
      );
    }
  }
  return room.flatMap((r) => r.exchanges.map((e) => ({ line: r.line, quantity: e.quantity, exchange: e })));
}
