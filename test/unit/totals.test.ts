// Order totals: shipping rates and the free-shipping threshold, per-state sales tax and
// its exact split over the lines.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { defaultSettings, type StoreSettings } from '../../src/domain/settings/store-settings.ts';
import { amountToFreeShipping, computeTotals, shippingOptions } from '../../src/domain/checkout/totals.ts';

const settings = defaultSettings(); // standard $6.95, express $18.95, standard free from $75, WV 6%

test('standard shipping is charged below the threshold and free from it', () => {
  const below = computeTotals(settings, [{ unitPrice: 7499, quantity: 1 }]);
  assert.deepEqual([below.shipping, below.freeShipping], [695, false]);
  const at = computeTotals(settings, [{ unitPrice: 2500, quantity: 3 }]);
  assert.deepEqual([at.subtotal, at.shipping, at.freeShipping], [7500, 0, true]);
});

test('express is never free', () => {
  const t = computeTotals(settings, [{ unitPrice: 20000, quantity: 1 }], { shippingMethod: 'express' });
  assert.equal(t.shipping, 1895);
  assert.equal(t.total, 21895);
});

test('an empty cart costs nothing', () => {
  assert.deepEqual(computeTotals(settings, []), { subtotal: 0, shipping: 0, tax: 0, total: 0, taxRateBp: 0, lineTax: [], freeShipping: false });
});

test('West Virginia tax is 6% of the goods, not of shipping', () => {
  const t = computeTotals(settings, [{ unitPrice: 5000, quantity: 1 }, { unitPrice: 1500, quantity: 1 }], { state: 'WV' });
  assert.equal(t.subtotal, 6500);
  assert.equal(t.shipping, 695);
  assert.equal(t.taxRateBp, 600);
  assert.equal(t.tax, 390);
  assert.equal(t.total, 6500 + 695 + 390);
  assert.deepEqual(t.lineTax, [300, 90]);
});

test('states without a rate, and an unknown state, pay no tax', () => {
  assert.equal(computeTotals(settings, [{ unitPrice: 5000, quantity: 1 }], { state: 'OH' }).tax, 0);
  assert.equal(computeTotals(settings, [{ unitPrice: 5000, quantity: 1 }]).tax, 0);
});

test('tax rounds half up to the cent', () => {
  // 6% of $0.25 is 1.5 cents.
  assert.equal(computeTotals(settings, [{ unitPrice: 25, quantity: 1 }], { state: 'WV' }).tax, 2);
});

test('line tax shares always add up to the order tax', () => {
  const withRate = (bp: number): StoreSettings => ({ ...settings, taxRates: { XX: bp } });
  fc.assert(
    fc.property(
      fc.array(fc.record({ unitPrice: fc.integer({ min: 0, max: 500_000 }), quantity: fc.integer({ min: 1, max: 20 }) }), { minLength: 1, maxLength: 8 }),
      fc.integer({ min: 0, max: 2000 }),
      (lines, bp) => {
        const t = computeTotals(withRate(bp), lines, { state: 'XX' });
        assert.equal(t.lineTax.reduce((a, b) => a + b, 0), t.tax);
        assert.ok(t.lineTax.every((x) => x >= 0));
        assert.equal(t.total, t.subtotal + t.shipping + t.tax);
      },
    ),
  );
});

test('shipping options show the price for this subtotal, and how far free shipping is', () => {
  assert.deepEqual(
    shippingOptions(settings, 8000).map((o) => [o.method, o.rate, o.free]),
    [
      ['standard', 0, true],
      ['express', 1895, false],
    ],
  );
  assert.equal(amountToFreeShipping(settings, 5000), 2500);
  assert.equal(amountToFreeShipping(settings, 8000), undefined);
  assert.equal(amountToFreeShipping({ ...settings, shipping: { ...settings.shipping, freeStandardFrom: null } }, 5000), undefined);
});
