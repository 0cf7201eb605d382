// A paid order straight into the database (order, items, stock taken, a captured sandbox
// payment with the sandbox's own record of it, the "placed" event), for tests of what happens after checkout.
import { randomInt } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import type { AppContext } from '../../src/context.ts';
import { orderItems, orders, payments, sandboxPayments, stockLedger, variants, products, type Address } from '../../src/db/schema.ts';
import { readableNumber } from '../../src/domain/shared/ids.ts';
import { appendOrderEvent } from '../../src/domain/orders/order-events.ts';

export type FixtureOrder = { id: string; number: string; email: string; phone: string; total: number; paymentId: string };

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

export async function insertPaidOrder(
  ctx: AppContext,
  opts: { items?: { sku: string; quantity: number }[]; email?: string; phone?: string; name?: string; createdAt?: Date } = {},
): Promise<FixtureOrder> {
  const lines = opts.items ?? [{ sku: 'LAMP-1', quantity: 2 }, { sku: 'MUG-1', quantity: 1 }];
  const email = opts.email ?? 'jane.doe@example.com';
  const phone = opts.phone ?? '+13045550142';
  const address: Address = { name: opts.name ?? 'Jane Doe', line1: '12 Market St', city: 'Parkersburg', state: 'WV', postalCode: '26101', country: 'US' };
  const at = opts.createdAt ?? ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    const picked = [];
    for (const line of lines) {
      const [v] = await tx
        .select({ id: variants.id, price: variants.price, name: products.name, slug: products.slug, options: variants.options })
        .from(variants)
        .innerJoin(products, eq(products.id, variants.productId))
        .where(eq(variants.sku, line.sku));
      if (!v) throw new Error(`No variant ${line.sku}`);
      const [after] = await tx
        .update(variants)
        .set({ stock: sql`${variants.stock} - ${line.quantity}` })
        .where(eq(variants.id, v.id))
        .returning({ stock: variants.stock });
      picked.push({ ...line, ...v, stockAfter: after!.stock });
    }
    const subtotal = picked.reduce((n, p) => n + p.price * p.quantity, 0);
    const tax = Math.round(subtotal * 0.06);
    const shipping = 695;
    const total = subtotal + tax + shipping;
    const [order] = await tx
      .insert(orders)
      .values({
        number: readableNumber('CS-'),
        status: 'paid',
        email,
        phone,
        shippingAddress: address,
        shippingMethod: 'standard',
        subtotal,
        shipping,
        tax,
        total,
        taxRateBp: 600,
        createdAt: at,
        updatedAt: at,
      })
      .returning();
    await tx.insert(orderItems).values(
      picked.map((p, position) => ({
        orderId: order!.id,
        variantId: p.id,
        sku: p.sku,
        productName: p.name,
        productSlug: p.slug,
        options: p.options,
        unitPrice: p.price,
        quantity: p.quantity,
        lineTotal: p.price * p.quantity,
        position,
      })),
    );
    for (const p of picked) {
      await tx.insert(stockLedger).values({ variantId: p.id, delta: -p.quantity, stockAfter: p.stockAfter, reason: 'sale', orderId: order!.id, createdAt: at });
    }
    const transactionId = `sbx_pay_${Array.from({ length: 24 }, () => BASE62[randomInt(62)]).join('')}`;
    const [payment] = await tx
      .insert(payments)
      .values({
        orderId: order!.id,
        provider: 'sandbox',
        providerSessionId: transactionId,
        providerTransactionId: transactionId,
        amount: total,
        amountCaptured: total,
        status: 'captured',
        cardBrand: 'visa',
        cardLast4: '4242',
        cardExpMonth: 12,
        cardExpYear: 2030,
        createdAt: at,
        updatedAt: at,
      })
      .returning();
    // The sandbox processor's own record of the same payment, as if the shopper had paid on its page.
    await tx.insert(sandboxPayments).values({
      id: transactionId,
      reference: payment!.id,
      idempotencyKey: `fixture:${payment!.id}`,
      amount: total,
      currency: 'USD',
      captureMethod: 'automatic',
      status: 'captured',
      amountCaptured: total,
      returnUrl: 'http://127.0.0.1:3000/checkout/return',
      cancelUrl: 'http://127.0.0.1:3000/checkout',
      cardBrand: 'visa',
      cardLast4: '4242',
    });
    await appendOrderEvent(tx, { orderId: order!.id, type: 'placed', actor: { kind: 'customer' }, to: 'paid', at });
    return { id: order!.id, number: order!.number, email, phone, total, paymentId: payment!.id };
  });
}

/**
 * Many paid orders in one insert, without lines or payments: for tests of long lists (paging,
 * exports), where insertPaidOrder one by one would be slow. `at(i)` gives each one's time.
 */
export async function insertBareOrders(ctx: AppContext, count: number, opts: { email: string; at: (i: number) => Date }): Promise<string[]> {
  const address: Address = { name: 'Bulk Buyer', line1: '1 Main St', city: 'Parkersburg', state: 'WV', postalCode: '26101', country: 'US' };
  const rows = Array.from({ length: count }, (_, i) => ({
    number: readableNumber('CS-'),
    status: 'paid',
    email: opts.email,
    phone: '+13045550142',
    shippingAddress: address,
    shippingMethod: 'standard',
    subtotal: 1000,
    shipping: 695,
    tax: 60,
    total: 1755,
    createdAt: opts.at(i),
    updatedAt: opts.at(i),
  }));
  return (await ctx.db.insert(orders).values(rows).returning({ number: orders.number })).map((r) => r.number);
}
