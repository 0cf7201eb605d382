// Orders made the way an API client makes them: a cart through the API, items added,
// checkout with a sandbox payment-method token. Use placeTestOrder in any scenario test that needs a real order.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { TestApp } from './test-app.ts';
import type { OrderReceipt } from '../../src/domain/checkout/order-receipt.ts';

/** Sandbox payment-method tokens with a known outcome (see src/domain/payments/sandbox-cards.ts). */
export const TOKENS = {
  ok: 'sandbox_visa',
  declined: 'sandbox_declined',
  insufficientFunds: 'sandbox_insufficient_funds',
  processingError: 'sandbox_processing_error',
  threeDSecure: 'sandbox_3ds',
} as const;

export type CheckoutBody = {
  email: string;
  phone: string;
  shippingAddress: { name: string; line1: string; line2?: string; city: string; state: string; postalCode: string; country: 'US' };
  shippingMethod: 'standard' | 'express';
  payment: { provider: string; paymentMethod: string };
};

export type CheckoutOverrides = Partial<Omit<CheckoutBody, 'shippingAddress' | 'payment'>> & {
  shippingAddress?: Partial<CheckoutBody['shippingAddress']>;
  payment?: Partial<CheckoutBody['payment']>;
};

/** A valid checkout body (West Virginia address, the sandbox's Visa token); nested parts merge with `over`. */
export function checkoutBody(over: CheckoutOverrides = {}): CheckoutBody {
  return {
    email: 'jane.doe@example.com',
    phone: '(304) 555-0142',
    shippingMethod: 'standard',
    ...over,
    shippingAddress: { name: 'Jane Doe', line1: '12 Market St', city: 'Parkersburg', state: 'WV', postalCode: '26101', country: 'US', ...over.shippingAddress },
    payment: { provider: 'sandbox', paymentMethod: TOKENS.ok, ...over.payment },
  };
}

export type Line = { sku: string; quantity: number };

/** A new cart holding `items`; returns its id. */
export async function createTestCart(t: TestApp, items: Line[]): Promise<string> {
  const res = await t.app.inject({ method: 'POST', url: '/api/v1/carts' });
  assert.equal(res.statusCode, 201, res.body);
  const id = res.json().id as string;
  for (const item of items) {
    const add = await t.app.inject({ method: 'POST', url: `/api/v1/carts/${id}/items`, payload: item });
    assert.equal(add.statusCode, 200, add.body);
  }
  return id;
}

/**
 * Creates a cart with `items`, checks out through the API and returns the order JSON
 * (number, status "paid", items, totals, payment, trackingUrl). Fails the test unless the
 * order was placed.
 */
export async function placeTestOrder(
  t: TestApp,
  items: Line[] = [{ sku: 'MUG-1', quantity: 1 }],
  opts: { body?: CheckoutOverrides; idempotencyKey?: string } = {},
): Promise<OrderReceipt> {
  const cartId = await createTestCart(t, items);
  const res = await t.app.inject({
    method: 'POST',
    url: `/api/v1/carts/${cartId}/checkout`,
    headers: { 'idempotency-key': opts.idempotencyKey ?? randomUUID() },
    payload: checkoutBody(opts.body),
  });
  assert.equal(res.statusCode, 201, res.body);
  return res.json().order as OrderReceipt;
}
