// After-sales cases: a customer applies for a return, an exchange or a refund only; staff
// approve or decline it, record what came back, refund it or send a replacement, and close it.
//
// Applying: the order must match the customer's email or phone exactly as tracking does
// (lookupOrder: same answers for an unknown order and a wrong contact, same rate limits),
// or come from a signed tracking link. Only once delivered, only within the return window
// counted from delivery (409 with a reason the customer can read), and per line never more
// units than were delivered minus those already in a case: the per-line counter
// return_requested_quantity moves by a conditional UPDATE in the same transaction, so two
// applications at once cannot both take the last unit.
//
// Deciding: every staff verb is one transaction with the order row and then the case row
// locked, a guard from the state table (409 with the reason), its effects, an order event,
// a line in the support case and, where the customer must be told, an email through the
// outbox. A refund is requested with the key `return:<case id>`, so however often it is
// asked for, one refund exists; it goes to the payment provider after commit.
import { and, asc, desc, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import { forgetTrackedOrder } from '../tracking/tracking-view.ts';
import type { AppContext } from '../../context.ts';
import type { Conn, Tx } from '../../db/client.ts';
import { orderEvents, orderItems, orders, products, refunds, returnCases, returnItems, shipments, supportCases, variants } from '../../db/schema.ts';
import { adjustStock, recordWriteOff } from '../inventory/inventory-service.ts';
import { enqueueEmail } from '../notifications/outbox.ts';
import type { RefundInfo, ReturnCasePayload } from '../notifications/email-payloads.ts';
import { appendOrderEvent, type Actor } from '../orders/order-events.ts';
import { canonicalOrderNumber } from '../orders/order-number.ts';
import { lockOrder, type Order } from '../orders/order-service.ts';
import { processRefundsAfterCommit, refundableAmount, requestRefund, type Refund } from '../payments/refund-service.ts';
import { DomainError, notFound, validationFailed, type FieldErrors } from '../shared/errors.ts';
import { readableNumber } from '../shared/ids.ts';
import { formatMoney } from '../shared/money.ts';
import { imageBlobKey, storeImage } from '../storage/images.ts';
import { PHOTO_PREFIX } from '../support/delivery-problem.ts';
import { openSupportCase } from '../support/support-cases.ts';
import { recordCaseMessage, resolveCase } from '../support/support-service.ts';
import { lookupOrder, type OrderRef } from '../tracking/lookup.ts';
import { trackingUrl } from '../tracking/tracking-token.ts';
import {
  CONDITION_MAX,
  MAX_RETURN_PHOTOS,
  RETURN_REASONS,
  STAFF_TEXT_MAX,
  isReceivedCondition,
  isReturnReason,
  lastReturnDay,
  quoteRefund,
  refundPolicy,
  returnWindowEnd,
  type ReceivedCondition,
  type RefundQuote,
  type ReturnReason,
} from './return-rules.ts';
import { RETURN_STATES, RETURN_TYPES, isReturnType, returnTransitionRefusal, type ReturnStatus, type ReturnType } from './return-states.ts';

export type ReturnCase = typeof returnCases.$inferSelect;
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
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_LINES = 50;

/** "Test Lamp (Oat)": a line as the customer knows it. */
export const itemLabel = (name: string, options: Record<string, string>) => {
  const opts = Object.values(options ?? {}).filter(Boolean);
  return opts.length ? `${name} (${opts.join(', ')})` : name;
};

// ------------------------------------------------------------------ eligibility

/** When the order reached the customer: the latest parcel delivered, else the move to "delivered". */
export async function deliveredAt(tx: Conn, orderId: string): Promise<Date | undefined> {
  const [parcel] = await tx
    .select({ at: shipments.deliveredAt })
    .from(shipments)
    .where(and(eq(shipments.orderId, orderId), isNotNull(shipments.deliveredAt)))
    .orderBy(desc(shipments.deliveredAt))
    .limit(1);
  if (parcel?.at) return parcel.at;
  const [event] = await tx
    .select({ at: orderEvents.createdAt })
    .from(orderEvents)
    .where(and(eq(orderEvents.orderId, orderId), eq(orderEvents.toStatus, 'delivered')))
    .orderBy(desc(orderEvents.createdAt))
    .limit(1);
  return event?.at;
}

export type Eligibility = { ok: true; deliveredAt: Date; windowEnd: Date } | { ok: false; error: DomainError };

/** Whether the order can have a new after-sales case now; the refusal is a 409 the customer can read. */
export function eligibility(ctx: AppContext, order: Pick<Order, 'number' | 'status'>, delivered: Date | undefined): Eligibility {
  if (order.status === 'cancelled') {
    return { ok: false, error: new DomainError('conflict', `Order ${order.number} was cancelled, so there is nothing to send back.`, { reason: 'cancelled' }) };
  }
  if (order.status !== 'delivered' || !delivered) {
    return {
      ok: false,
      error: new DomainError(
        'conflict',
        `Order ${order.number} has not been delivered yet. You can apply for a return, an exchange or a refund once it has arrived; until then you can follow it on the tracking page.`,
        { reason: 'not_delivered' },
      ),
    };
  }
  const { windowDays } = ctx.settings().returns;
  const zone = ctx.settings().serviceHours.timeZone;
  const windowEnd = returnWindowEnd(delivered, windowDays, zone);
  if (ctx.clock.now().getTime() >= windowEnd.getTime()) {
    return {
      ok: false,
      error: new DomainError(
        'conflict',
        `The return window for order ${order.number} closed on ${lastReturnDay(windowEnd, zone)} (${windowDays} days after delivery). If something is wrong with your order, please contact us and we will look at it with you.`,
        { reason: 'window_closed', windowEnd: windowEnd.toISOString() },
      ),
    };
  }
  return { ok: true, deliveredAt: delivered, windowEnd };
}

// ------------------------------------------------------------------ applying

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

// ------------------------------------------------------------------ deciding: plumbing

/** One line of a case, with what it refers to on the order and the replacement chosen. */
export type CaseItem = {
  id: string;
  orderItemId: string;
  sku: string;
  name: string;
  options: Record<string, string>;
  variantId: string | null;
  quantity: number;
  unitPrice: number;
  lineQuantity: number;
  lineTax: number;
  refundedQuantity: number;
  condition: ReceivedCondition | null;
  exchange: { variantId: string; sku: string; name: string; options: Record<string, string>; quantity: number; stock: number } | null;
};

export async function caseItems(tx: Conn, caseId: string): Promise<CaseItem[]> {
  const rows = await tx
    .select({ item: returnItems, line: orderItems })
    .from(returnItems)
    .innerJoin(orderItems, eq(orderItems.id, returnItems.orderItemId))
    .where(eq(returnItems.returnCaseId, caseId))
    .orderBy(asc(orderItems.position), asc(returnItems.id));
  const exchangeIds = rows.map((r) => r.item.exchangeVariantId).filter((id): id is string => !!id);
  const swaps = exchangeIds.length
    ? await tx
        .select({ id: variants.id, sku: variants.sku, options: variants.options, stock: variants.stock, name: products.name })
        .from(variants)
        .innerJoin(products, eq(products.id, variants.productId))
        .where(inArray(variants.id, exchangeIds))
    : [];
  return rows.map(({ item, line }) => {
    const swap = swaps.find((s) => s.id === item.exchangeVariantId);
    return {
      id: item.id,
      orderItemId: line.id,
      sku: line.sku,
      name: line.productName,
      options: line.options,
      variantId: line.variantId,
      quantity: item.quantity,
      unitPrice: line.unitPrice,
      lineQuantity: line.quantity,
      lineTax: line.tax,
      refundedQuantity: line.refundedQuantity,
      condition: isReceivedCondition(item.condition) ? item.condition : null,
      exchange: swap ? { variantId: swap.id, sku: swap.sku, name: swap.name, options: swap.options, quantity: item.exchangeQuantity ?? item.quantity, stock: swap.stock } : null,
    };
  });
}

/** Finds a case by id or RMA number (as people type it) without locking. */
export async function findReturnCase(tx: Conn, ref: string): Promise<ReturnCase | undefined> {
  const number = UUID.test(ref) ? undefined : canonicalOrderNumber(ref);
  const where = UUID.test(ref) ? eq(returnCases.id, ref) : number ? eq(returnCases.number, number) : undefined;
  if (!where) return undefined;
  const [row] = await tx.select().from(returnCases).where(where);
  return row;
}

/** The order row, then the case row, locked: returns and order verbs queue on the same lock. */
async function lockCase(tx: Tx, ref: string): Promise<{ order: Order; rc: ReturnCase }> {
  const found = await findReturnCase(tx, ref);
  if (!found) throw notFound('Return case');
  const [order] = await tx.select().from(orders).where(eq(orders.id, found.orderId)).for('update');
  const [rc] = await tx.select().from(returnCases).where(eq(returnCases.id, found.id)).for('update');
  return { order: order!, rc: rc! };
}

const typeOf = (rc: ReturnCase): ReturnType => (isReturnType(rc.type) ? rc.type : 'return');
const statusOf = (rc: ReturnCase): ReturnStatus => rc.status as ReturnStatus;

/** The guard: the state table decides, per kind of case; a refusal carries the reason (409). */
function guard(rc: ReturnCase, to: ReturnStatus): ReturnStatus {
  const from = statusOf(rc);
  const refusal = returnTransitionRefusal(typeOf(rc), from, to);
  if (refusal) throw new DomainError('invalid_transition', `${rc.number}: ${refusal}`, { from, to });
  return from;
}

const staffIdOf = (a: Actor) => (a.kind === 'staff' ? a.staffId : null);
const actorName = (a: Actor) => (a.kind === 'staff' ? a.email : a.kind === 'system' ? 'the system' : 'the customer');

/** Moves the (locked, guarded) case, writes the order event and the support case's history line. */
async function move(
  ctx: AppContext,
  tx: Tx,
  order: Order,
  rc: ReturnCase,
  to: ReturnStatus,
  actor: Actor,
  change: { set?: Partial<ReturnCase>; details?: Record<string, unknown>; message: string },
): Promise<ReturnCase> {
  const now = ctx.clock.now();
  const [moved] = await tx
    .update(returnCases)
    .set({ ...change.set, status: to, updatedAt: now })
    .where(eq(returnCases.id, rc.id))
    .returning();
  await appendOrderEvent(tx, {
    orderId: order.id,
    type: 'return',
    actor,
    details: { returnCaseId: rc.id, number: rc.number, returnType: rc.type, from: rc.status, status: to, ...change.details, message: `${rc.number}: ${change.message}` },
    at: now,
  });
  if (rc.supportCaseId) {
    await recordCaseMessage(tx, { caseId: rc.supportCaseId, kind: 'system', body: `${rc.number} ${RETURN_STATES[to].toLowerCase()} by ${actorName(actor)}: ${change.message}`, staffId: staffIdOf(actor), at: now });
  }
  return moved!;
}

/** The email about a case at its current stage (the RMA number only once approved). */
async function emailCustomer(
  ctx: AppContext,
  tx: Tx,
  template: 'return_approved' | 'return_declined' | 'return_refunded' | 'return_exchanged',
  order: Order,
  rc: ReturnCase,
  items: CaseItem[],
  extra: { reason?: string | null; refund?: RefundInfo | null; trackingUrl?: string } = {},
): Promise<void> {
  const [support] = rc.supportCaseId ? await tx.select({ number: supportCases.number }).from(supportCases).where(eq(supportCases.id, rc.supportCaseId)) : [];
  await enqueueEmail(tx, {
    template,
    to: order.email,
    orderId: order.id,
    ...(rc.supportCaseId ? { caseId: rc.supportCaseId } : {}),
    payload: {
      caseNumber: support?.number ?? rc.number,
      orderNumber: order.number,
      type: typeOf(rc),
      items: items.map((i) => ({ name: itemLabel(i.name, i.options), quantity: i.quantity })),
      reason: extra.reason ?? null,
      // The RMA number marks a parcel coming back: none before approval, none when nothing comes back.
      rmaNumber: template === 'return_declined' || typeOf(rc) === 'refund' ? null : rc.number,
      refund: extra.refund ?? null,
      trackingUrl: extra.trackingUrl ?? trackingUrl(ctx, order.number),
    } satisfies ReturnCasePayload,
  });
}

function optionalText(value: string | undefined, field: string): string | undefined {
  const text = (value ?? '').trim();
  if (text.length > STAFF_TEXT_MAX) throw validationFailed({ [field]: `Keep it under ${STAFF_TEXT_MAX} characters.` });
  return text || undefined;
}

const itemsText = (items: CaseItem[]) => items.map((i) => `${i.quantity} × ${i.sku}`).join(', ');

// ------------------------------------------------------------------ deciding: verbs

/** requested → approved: the customer gets the RMA number and the return address (refund only: the refund follows). */
export async function approveReturn(ctx: AppContext, ref: string, actor: Actor, input: { note?: string } = {}): Promise<ReturnCase> {
  const note = optionalText(input.note, 'note');
  return ctx.db.transaction(async (tx) => {
    const { order, rc } = await lockCase(tx, ref);
    guard(rc, 'approved');
    const items = await caseItems(tx, rc.id);
    const moved = await move(ctx, tx, order, rc, 'approved', actor, { details: { note: note ?? null }, message: `approved (${itemsText(items)})${note ? `. Note: ${note}` : ''}` });
    await emailCustomer(ctx, tx, 'return_approved', order, moved, items, { reason: note ?? null });
    return moved;
  });
}

/** requested → declined, with the reason the customer is emailed; the units are free to be asked for again. */
export async function declineReturn(ctx: AppContext, ref: string, actor: Actor, input: { reason: string }): Promise<ReturnCase> {
  const reason = optionalText(input.reason, 'reason');
  if (!reason) throw validationFailed({ reason: 'Say why, in words for the customer: the reason is emailed to them.' });
  return ctx.db.transaction(async (tx) => {
    const { order, rc } = await lockCase(tx, ref);
    guard(rc, 'declined');
    const items = await caseItems(tx, rc.id);
    for (const item of items) {
      await tx
        .update(orderItems)
        .set({ returnRequestedQuantity: sql`greatest(${orderItems.returnRequestedQuantity} - ${item.quantity}, 0)` })
        .where(eq(orderItems.id, item.orderItemId));
    }
    const moved = await move(ctx, tx, order, rc, 'declined', actor, { set: { declineReason: reason }, details: { reason }, message: `declined. Reason given to the customer: ${reason}` });
    await emailCustomer(ctx, tx, 'return_declined', order, moved, items, { reason });
    return moved;
  });
}

export type ReceiveInput = {
  /** The condition of every item, unless given per item. */
  condition?: string;
  items?: { sku: string; condition: string }[];
};

/**
 * approved → received: staff record what came back. Resellable units go back on the shelf
 * (stock ledger "restock"); damaged ones are written off (ledger "write_off", stock unchanged).
 */
export async function receiveReturn(ctx: AppContext, ref: string, actor: Actor, input: ReceiveInput = {}): Promise<ReturnCase> {
  return ctx.db.transaction(async (tx) => {
    const { order, rc } = await lockCase(tx, ref);
    guard(rc, 'received');
    const items = await caseItems(tx, rc.id);
    const found = conditionsFor(items, input);

    for (const item of items) {
      const condition = found.get(item.id)!;
      const who = { orderId: order.id, staffId: staffIdOf(actor), note: `Return ${rc.number}` };
      // A variant deleted since the sale has no shelf to go back to: nothing to restock or write off.
      if (item.variantId && condition === 'resellable') await adjustStock(tx, { variantId: item.variantId, delta: item.quantity, reason: 'restock', ...who });
      if (item.variantId && condition === 'damaged') await recordWriteOff(tx, { variantId: item.variantId, quantity: item.quantity, ...who });
      await tx.update(returnItems).set({ condition }).where(eq(returnItems.id, item.id));
      const [counted] = await tx
        .update(orderItems)
        .set({ returnReceivedQuantity: sql`${orderItems.returnReceivedQuantity} + ${item.quantity}` })
        .where(and(eq(orderItems.id, item.orderItemId), sql`${orderItems.returnReceivedQuantity} + ${item.quantity} <= ${orderItems.returnRequestedQuantity}`))
        .returning({ id: orderItems.id });
      if (!counted) throw new DomainError('conflict', `More units of ${item.sku} would be received than were asked to be returned.`, { sku: item.sku });
    }
    const conditions = new Set(found.values());
    const overall = conditions.size === 1 ? [...conditions][0]! : 'mixed';
    const lines = items.map((i) => ({ sku: i.sku, quantity: i.quantity, condition: found.get(i.id)! }));
    return move(ctx, tx, order, rc, 'received', actor, {
      set: { receivedCondition: overall },
      details: { lines },
      message: `received: ${lines.map((l) => `${l.quantity} × ${l.sku} ${l.condition === 'resellable' ? 'resellable, restocked' : 'damaged, written off'}`).join('; ')}`,
    });
  });
}

/** Every item's condition from the input: per item, else the one for all; 422 naming what is missing. */
function conditionsFor(items: CaseItem[], input: ReceiveInput): Map<string, ReceivedCondition> {
  const errors: FieldErrors = {};
  const all = input.condition === undefined || input.condition === '' ? undefined : input.condition;
  if (all !== undefined && !isReceivedCondition(all)) errors.condition = 'Choose resellable or damaged.';
  const perSku = new Map<string, ReceivedCondition>();
  (input.items ?? []).forEach((given, i) => {
    if (!items.some((item) => item.sku === given.sku)) errors[`items.${i}.sku`] = `${given.sku} is not in this case.`;
    else if (!isReceivedCondition(given.condition)) errors[`items.${i}.condition`] = `Choose resellable or damaged for ${given.sku}.`;
    else perSku.set(given.sku, given.condition);
  });
  const found = new Map<string, ReceivedCondition>();
  for (const item of items) {
    const condition = perSku.get(item.sku) ?? (isReceivedCondition(all) ? all : undefined);
    if (condition) found.set(item.id, condition);
    else errors[`condition.${item.sku}`] ??= `Say whether ${item.sku} can be sold again (resellable) or not (damaged).`;
  }
  if (Object.keys(errors).length) throw validationFailed(errors, 'Record the condition of every item that came back.');
  return found;
}

/** What refunding the case would pay now, and how it is made up; call with the order row locked (or to preview). */
export async function quoteForCase(ctx: AppContext, tx: Conn, order: Order, rc: ReturnCase, items: CaseItem[]): Promise<RefundQuote> {
  const [earlier] = await tx
    .select({ id: orderEvents.id })
    .from(orderEvents)
    .where(and(eq(orderEvents.orderId, order.id), eq(orderEvents.type, 'return'), sql`coalesce((${orderEvents.details}->>'shipping')::int, 0) > 0`))
    .limit(1);
  const policy = refundPolicy(ctx.settings(), rc.reason, order.shipping, !!earlier);
  return quoteRefund(
    items.map((i) => ({ sku: i.sku, unitPrice: i.unitPrice, quantity: i.quantity, lineQuantity: i.lineQuantity, lineTax: i.lineTax, refundedBefore: i.refundedQuantity })),
    policy,
  );
}

export type ReturnRefund = { returnCase: ReturnCase; refund: Refund | null; quote: RefundQuote | null; repeated: boolean };

/**
 * received → refunded (return), or approved → refunded (refund only): the units' prices and
 * tax share, shipping by policy, less a restocking fee. One refund per case, keyed
 * `return:<case id>`: a repeated call answers with the refund already made.
 */
export async function refundReturn(ctx: AppContext, ref: string, actor: Actor): Promise<ReturnRefund> {
  const done = await ctx.db.transaction(async (tx) => {
    const { order, rc } = await lockCase(tx, ref);
    if (rc.refundId) return { rc, refundId: rc.refundId, quote: null, repeated: true };
    guard(rc, 'refunded');
    const items = await caseItems(tx, rc.id);
    const quote = await quoteForCase(ctx, tx, order, rc, items);
    // Whatever is left on the payment bounds the refund (earlier refunds may have taken part of it).
    const amount = Math.min(quote.amount, await refundableAmount(tx, order.id));
    const requested =
      amount > 0
        ? await requestRefund(tx, { orderId: order.id, amount, reason: `${RETURN_TYPES[typeOf(rc)]} ${rc.number}`, source: 'return', sourceId: rc.id, idempotencyKey: `return:${rc.id}` })
        : undefined;
    for (const item of items) {
      const [counted] = await tx
        .update(orderItems)
        .set({ refundedQuantity: sql`${orderItems.refundedQuantity} + ${item.quantity}` })
        .where(and(eq(orderItems.id, item.orderItemId), sql`${orderItems.refundedQuantity} + ${item.quantity} <= ${orderItems.quantity}`))
        .returning({ id: orderItems.id });
      if (!counted) throw new DomainError('conflict', `Every unit of ${item.sku} has already been refunded.`, { sku: item.sku });
    }
    const money = (n: number) => formatMoney(n, order.currency);
    const made = [`${money(quote.goods)} goods`, `${money(quote.tax)} tax`, quote.shipping ? `${money(quote.shipping)} shipping` : '', quote.fee ? `less ${money(quote.fee)} restocking fee` : '']
      .filter(Boolean)
      .join(', ');
    const moved = await move(ctx, tx, order, rc, 'refunded', actor, {
      set: { refundId: requested?.refund.id ?? null },
      details: { refundId: requested?.refund.id ?? null, amount, goods: quote.goods, tax: quote.tax, shipping: quote.shipping, fee: quote.fee },
      message: `refund of ${money(amount)} requested (${made})`,
    });
    await emailCustomer(ctx, tx, 'return_refunded', order, moved, items, { refund: requested?.info ?? null });
    return { rc: moved, refundId: requested?.refund.id ?? null, quote, repeated: false };
  });
  // Sent after commit; a provider problem leaves the refund pending for the retrier, never undoes the case.
  if (done.refundId) await processRefundsAfterCommit(ctx, [done.refundId]);
  const [refund] = done.refundId ? await ctx.db.select().from(refunds).where(eq(refunds.id, done.refundId)) : [];
  return { returnCase: done.rc, refund: refund ?? null, quote: done.quote, repeated: done.repeated };
}

export type ReturnExchange = { returnCase: ReturnCase; replacement: { id: string; number: string } };

/**
 * received → exchanged: a replacement order at no charge (status paid) for the chosen
 * variants, with their stock taken now, so it goes through verification, preparation,
 * packing and shipping like any order. 409 naming the SKU when the stock is short.
 */
export async function exchangeReturn(ctx: AppContext, ref: string, actor: Actor): Promise<ReturnExchange> {
  return ctx.db.transaction(async (tx) => {
    const { order, rc } = await lockCase(tx, ref);
    guard(rc, 'exchanged');
    const items = await caseItems(tx, rc.id);
    const wanted = new Map<string, NonNullable<CaseItem['exchange']>>();
    for (const i of items) {
      if (!i.exchange) continue;
      const seen = wanted.get(i.exchange.variantId);
      wanted.set(i.exchange.variantId, seen ? { ...seen, quantity: seen.quantity + i.exchange.quantity } : { ...i.exchange });
    }
    if (!wanted.size) throw new DomainError('conflict', `${rc.number} names no replacement to send.`);

    const now = ctx.clock.now();
    const [replacement] = await tx
      .insert(orders)
      .values({
        number: readableNumber(ctx.settings().orderNumberPrefix),
        status: 'paid',
        email: order.email,
        phone: order.phone,
        shippingAddress: order.shippingAddress,
        shippingMethod: order.shippingMethod,
        currency: order.currency,
        subtotal: 0,
        shipping: 0,
        tax: 0,
        total: 0,
        taxRateBp: 0,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    const swaps = [...wanted.values()];
    const slugs = await tx
      .select({ id: variants.id, slug: products.slug })
      .from(variants)
      .innerJoin(products, eq(products.id, variants.productId))
      .where(inArray(variants.id, swaps.map((s) => s.variantId)));
    await tx.insert(orderItems).values(
      swaps.map((s, position) => ({
        orderId: replacement!.id,
        variantId: s.variantId,
        sku: s.sku,
        productName: s.name,
        productSlug: slugs.find((x) => x.id === s.variantId)?.slug ?? '',
        options: s.options,
        unitPrice: 0,
        quantity: s.quantity,
        lineTotal: 0,
        tax: 0,
        position,
      })),
    );
    for (const s of swaps) {
      try {
        await adjustStock(tx, { variantId: s.variantId, delta: -s.quantity, reason: 'exchange', orderId: replacement!.id, staffId: staffIdOf(actor), note: `Replacement for ${rc.number}` });
      } catch (err) {
        if (!(err instanceof DomainError && err.code === 'validation_failed')) throw err;
        const [v] = await tx.select({ stock: variants.stock }).from(variants).where(eq(variants.id, s.variantId));
        throw new DomainError(
          'out_of_stock',
          `Only ${v?.stock ?? 0} of ${s.sku} (${itemLabel(s.name, s.options)}) in stock, ${s.quantity} needed: restock it before sending the replacement, or settle the case another way.`,
          { sku: s.sku, available: v?.stock ?? 0 },
        );
      }
    }
    await appendOrderEvent(tx, {
      orderId: replacement!.id,
      // Not "placed": staff must see at once that this order is a replacement, not a sale.
      type: 'exchange',
      actor,
      to: 'paid',
      details: { exchangeFor: rc.number, returnCaseId: rc.id, originalOrder: order.number, message: `Exchange for ${rc.number} (order ${order.number}): replacement at no charge` },
      at: now,
    });
    const moved = await move(ctx, tx, order, rc, 'exchanged', actor, {
      set: { replacementOrderId: replacement!.id },
      details: { replacementOrder: replacement!.number },
      message: `replacement order ${replacement!.number} created (${swaps.map((s) => `${s.quantity} × ${s.sku}`).join(', ')})`,
    });
    await emailCustomer(ctx, tx, 'return_exchanged', order, moved, items, { trackingUrl: trackingUrl(ctx, replacement!.number) });
    return { returnCase: moved, replacement: { id: replacement!.id, number: replacement!.number } };
  });
}

/** refunded | exchanged | declined → closed: nothing more to do; the support case is resolved. */
export async function closeReturn(ctx: AppContext, ref: string, actor: Actor): Promise<ReturnCase> {
  return ctx.db.transaction(async (tx) => {
    const { order, rc } = await lockCase(tx, ref);
    guard(rc, 'closed');
    const moved = await move(ctx, tx, order, rc, 'closed', actor, { message: 'closed' });
    if (rc.supportCaseId) await resolveCase(ctx, tx, rc.supportCaseId);
    return moved;
  });
}

/** The verb for a target state, for the API and the case page (one entry point, like the order's transitions). */
export const RETURN_ACTIONS = ['approve', 'decline', 'receive', 'refund', 'exchange', 'close'] as const;
export type ReturnAction = (typeof RETURN_ACTIONS)[number];
export const ACTION_TARGET: Record<ReturnAction, ReturnStatus> = {
  approve: 'approved',
  decline: 'declined',
  receive: 'received',
  refund: 'refunded',
  exchange: 'exchanged',
  close: 'closed',
};

