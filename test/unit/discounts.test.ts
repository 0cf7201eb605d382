// Discount arithmetic: the amount off, its exact spread over the lines before tax, free
// shipping, the reasons a discount does not apply, the admin checks, and refunds of
// discounted units that add up, to the cent, to what was paid.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { defaultSettings } from '../../src/domain/settings/store-settings.ts';
import { computeTotals } from '../../src/domain/checkout/totals.ts';
import { discountInputErrors, goodsDiscount, whyNot, type DiscountFacts, type DiscountInput } from '../../src/domain/discounts/discount-rules.ts';
import { quoteRefund } from '../../src/domain/returns/return-rules.ts';
import { planModification } from '../../src/domain/requests/modification.ts';

const settings = defaultSettings(); // standard $6.95, free from $75, WV 6% on goods and shipping

test('a percent discount is taken off the goods before tax, and each line is taxed on its discounted amount', () => {
  const t = computeTotals(settings, [{ unitPrice: 3333, quantity: 1 }, { unitPrice: 1001, quantity: 2 }], { state: 'WV', discount: { kind: 'percent', value: 1000 } });
  assert.equal(t.subtotal, 5335);
  assert.equal(t.discount, 534); // 10 % of $53.35, rounded half up
  assert.deepEqual(t.lineDiscount, [334, 200]);
  assert.equal(t.lineDiscount.reduce((a, b) => a + b, 0), t.discount);
  assert.equal(t.tax - t.shippingTax, Math.round((5335 - 534) * 0.06));
  assert.equal(t.total, t.subtotal - t.discount + t.shipping + t.tax);
});

test('a fixed discount never takes more than the goods cost', () => {
  assert.equal(goodsDiscount({ kind: 'fixed', value: 2000 }, 1500), 1500);
  const t = computeTotals(settings, [{ unitPrice: 1500, quantity: 1 }], { discount: { kind: 'fixed', value: 2000 } });
  assert.deepEqual([t.discount, t.total], [1500, 695]);
});

test('free shipping sets shipping to 0, takes nothing off the goods, and leaves no shipping tax', () => {
  const t = computeTotals(settings, [{ unitPrice: 2000, quantity: 1 }], { state: 'WV', discount: { kind: 'free_shipping', value: 0 }, shippingMethod: 'express' });
  assert.deepEqual([t.discount, t.shipping, t.shippingTax, t.total], [0, 0, 0, 2000 + 120]);
});

test('the free-shipping threshold looks at the goods before the discount', () => {
  const t = computeTotals(settings, [{ unitPrice: 8000, quantity: 1 }], { discount: { kind: 'percent', value: 2000 } });
  assert.deepEqual([t.discount, t.shipping], [1600, 0]);
});

test('any discount spread over any lines adds up exactly and never exceeds a line', () => {
  fc.assert(
    fc.property(
      fc.array(fc.record({ unitPrice: fc.integer({ min: 1, max: 50_000 }), quantity: fc.integer({ min: 1, max: 20 }) }), { minLength: 1, maxLength: 6 }),
      fc.oneof(fc.record({ kind: fc.constant('percent' as const), value: fc.integer({ min: 100, max: 10_000 }) }), fc.record({ kind: fc.constant('fixed' as const), value: fc.integer({ min: 1, max: 500_000 }) })),
      (lines, discount) => {
        const t = computeTotals(settings, lines, { state: 'WV', discount });
        assert.equal(t.lineDiscount.reduce((a, b) => a + b, 0), t.discount);
        t.lineDiscount.forEach((d, i) => assert.ok(d >= 0 && d <= lines[i]!.unitPrice * lines[i]!.quantity));
        assert.equal(t.total, t.subtotal - t.discount + t.shipping + t.tax);
      },
    ),
  );
});

const base: DiscountFacts = { code: 'spring10', kind: 'percent', value: 1000, active: true, startsAt: null, endsAt: null, minSubtotal: 0, usageCap: null, perCustomerCap: null, usedCount: 0 };
const facts = { subtotal: 5000, now: new Date('2026-04-10T12:00:00Z'), currency: 'USD', timeZone: 'America/New_York' };

test('a discount that does not apply says why, in words the shopper can act on', () => {
  assert.equal(whyNot(base, facts), undefined);
  assert.equal(whyNot({ ...base, active: false }, facts), 'The code SPRING10 is no longer valid.');
  assert.equal(whyNot({ ...base, startsAt: new Date('2026-05-01T04:00:00Z') }, facts), 'The code SPRING10 can be used from May 1, 2026.');
  assert.equal(whyNot({ ...base, endsAt: new Date('2026-04-01T04:00:00Z') }, facts), 'The code SPRING10 expired on March 31, 2026.');
  assert.equal(whyNot({ ...base, minSubtotal: 7500 }, facts), 'Add $25.00 more to use this code.');
  assert.equal(whyNot({ ...base, usageCap: 10, usedCount: 10 }, facts), 'The code SPRING10 has been used as many times as it can be.');
  assert.equal(whyNot({ ...base, perCustomerCap: 1 }, { ...facts, usedByCustomer: 1 }), 'The code SPRING10 was already used with this email address.');
  // Without the email the per-customer cap cannot be counted yet.
  assert.equal(whyNot({ ...base, perCustomerCap: 1 }, facts), undefined);
});

test('staff get a message per field for a discount that makes no sense', () => {
  const ok: DiscountInput = { code: 'SPRING10', name: '', kind: 'percent', value: 1000, startsAt: null, endsAt: null, minSubtotal: 0, usageCap: null, perCustomerCap: null, active: true };
  assert.deepEqual(discountInputErrors(ok), {});
  assert.deepEqual(Object.keys(discountInputErrors({ ...ok, value: 10_100 })), ['value']);
  assert.deepEqual(Object.keys(discountInputErrors({ ...ok, value: 50 })), ['value']);
  assert.deepEqual(Object.keys(discountInputErrors({ ...ok, kind: 'fixed', value: 0 })), ['value']);
  assert.deepEqual(Object.keys(discountInputErrors({ ...ok, code: 'no spaces!' })), ['code']);
  assert.deepEqual(Object.keys(discountInputErrors({ ...ok, code: null })), ['name']);
  assert.deepEqual(
    Object.keys(discountInputErrors({ ...ok, startsAt: new Date('2026-05-01'), endsAt: new Date('2026-04-01') })),
    ['endsAt'],
  );
});

test('property: refunding every unit of a discounted order, in any steps, gives back exactly what was paid for the goods and tax', () => {
  fc.assert(
    fc.property(
      fc.array(fc.record({ unitPrice: fc.integer({ min: 1, max: 30_000 }), quantity: fc.integer({ min: 1, max: 12 }) }), { minLength: 1, maxLength: 4 }),
      fc.oneof(fc.record({ kind: fc.constant('percent' as const), value: fc.integer({ min: 100, max: 10_000 }) }), fc.record({ kind: fc.constant('fixed' as const), value: fc.integer({ min: 1, max: 200_000 }) })),
      fc.array(fc.integer({ min: 1, max: 12 }), { minLength: 1, maxLength: 12 }),
      (lines, discount, steps) => {
        const t = computeTotals(settings, lines, { state: 'WV', discount });
        const paid = t.subtotal - t.discount + (t.tax - t.shippingTax);
        const refunded = new Array(lines.length).fill(0) as number[];
        let back = 0;
        // Units go back a few at a time, line by line, until none are left.
        for (let s = 0; refunded.some((r, i) => r < lines[i]!.quantity); s++) {
          const i = s % lines.length;
          const units = Math.min(steps[s % steps.length]!, lines[i]!.quantity - refunded[i]!);
          if (units === 0) continue;
          const l = lines[i]!;
          const q = quoteRefund(
            [{ sku: `L${i}`, unitPrice: l.unitPrice, quantity: units, lineQuantity: l.quantity, lineTax: t.lineTax[i]!, lineDiscount: t.lineDiscount[i]!, refundedBefore: refunded[i]! }],
            { shipping: 0, shippingTax: 0, restockingFeeBp: 0 },
          );
          assert.ok(q.goods >= 0);
          back += q.amount;
          refunded[i]! += units;
        }
        assert.equal(back, paid);
      },
    ),
  );
});

test("a customer's change to a discounted order keeps each kept unit's share of the discount, so it never costs more", () => {
  const lines = [{ unitPrice: 5000, quantity: 2 }, { unitPrice: 1500, quantity: 1 }];
  const paid = computeTotals(settings, lines, { state: 'WV', discount: { kind: 'percent', value: 2000 } });
  const order = {
    currency: 'USD',
    shippingAddress: { name: 'Jane Doe', line1: '12 Market St', city: 'Parkersburg', state: 'WV', postalCode: '26101', country: 'US' as const },
    shippingMethod: 'standard',
    shipping: paid.shipping,
    taxRateBp: 600,
    total: paid.total,
    discount: paid.discount,
    discountCode: 'SPRING20',
  };
  const current = [
    { id: 'a', sku: 'LAMP-1', name: 'Lamp', unitPrice: 5000, quantity: 2, discount: paid.lineDiscount[0]! },
    { id: 'b', sku: 'MUG-1', name: 'Mug', unitPrice: 1500, quantity: 1, discount: paid.lineDiscount[1]! },
  ];
  const plan = planModification(settings, order, current, { items: [{ sku: 'LAMP-1', quantity: 1 }] });
  assert.deepEqual(plan.lines.map((l) => l.discount), [1000, 300]);
  assert.equal(plan.totals.discount, 1300);
  assert.equal(plan.refund, paid.total - plan.totals.total);
  assert.ok(plan.refund > 0);
});
