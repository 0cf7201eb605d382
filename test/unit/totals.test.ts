// Order totals: shipping rates (flat, or by zone and weight bracket) and the free-shipping
// threshold, per-state sales tax on goods and, where the state taxes it, on shipping, with
// exempt categories, and its exact split over the lines.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { defaultSettings, type StoreSettings } from '../../src/domain/settings/store-settings.ts';
import { computeTotals, quoteTotals } from '../../src/domain/checkout/totals.ts';
import { amountToFreeShipping, shippingOptions } from '../../src/domain/checkout/shipping-rates.ts';
import { parseZones } from '../../src/http/admin/shipping-tax-form.ts';
import type { TaxProvider } from '../../src/domain/tax/tax-provider.ts';

const settings = defaultSettings(); // standard $6.95, express $18.95, standard free from $75, WV 6% on goods and shipping, groceries exempt

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
  assert.deepEqual(computeTotals(settings, []), {
    subtotal: 0,
    discount: 0,
    lineDiscount: [],
    shipping: 0,
    tax: 0,
    total: 0,
    taxRateBp: 0,
    lineTax: [],
    shippingTax: 0,
    jurisdictions: [],
    freeShipping: false,
    grams: 0,
  });
});

test('West Virginia taxes 6% of the goods and of the shipping charge', () => {
  const t = computeTotals(settings, [{ unitPrice: 5000, quantity: 1 }, { unitPrice: 1500, quantity: 1 }], { state: 'WV' });
  assert.equal(t.subtotal, 6500);
  assert.equal(t.shipping, 695);
  assert.equal(t.taxRateBp, 600);
  assert.deepEqual(t.lineTax, [300, 90]);
  assert.equal(t.shippingTax, 42, '6% of $6.95 is 41.7 cents');
  assert.equal(t.tax, 390 + 42);
  assert.equal(t.total, 6500 + 695 + 432);
  assert.deepEqual(t.jurisdictions, [{ code: 'US-WV', name: 'West Virginia', rateBp: 600, taxable: 6500 + 695, tax: 432 }]);
});

test('a state that does not tax delivery charges taxes the goods only', () => {
  const s: StoreSettings = { ...settings, taxRates: { ...settings.taxRates, PA: 600 } };
  const t = computeTotals(s, [{ unitPrice: 5000, quantity: 1 }], { state: 'PA' });
  assert.deepEqual([t.shipping, t.shippingTax, t.tax], [695, 0, 300]);
  assert.equal(t.jurisdictions[0]!.taxable, 5000);
});

test('a category the state exempts carries no tax; the rest of the order still does', () => {
  const t = computeTotals(
    settings,
    [
      { unitPrice: 2000, quantity: 1, taxCategory: 'groceries' },
      { unitPrice: 3000, quantity: 1, taxCategory: 'general' },
    ],
    { state: 'WV' },
  );
  assert.deepEqual(t.lineTax, [0, 180]);
  assert.equal(t.tax, 180 + 42);
  const clothingExempt: StoreSettings = { ...settings, taxRates: { PA: 600 }, taxRules: { PA: { shippingTaxable: false, exemptCategories: ['clothing', 'groceries'] } } };
  const pa = computeTotals(clothingExempt, [{ unitPrice: 4000, quantity: 2, taxCategory: 'clothing' }], { state: 'PA' });
  assert.deepEqual([pa.tax, pa.jurisdictions], [0, [{ code: 'US-PA', name: 'Pennsylvania', rateBp: 600, taxable: 0, tax: 0 }]]);
});

test('free shipping carries no shipping tax', () => {
  const t = computeTotals(settings, [{ unitPrice: 8000, quantity: 1 }], { state: 'WV' });
  assert.deepEqual([t.shipping, t.shippingTax, t.tax], [0, 0, 480]);
});

test('checkout asks the tax provider; the table provider and the cart estimate agree', async () => {
  const lines = [{ unitPrice: 1999, quantity: 3 }];
  const service: TaxProvider = {
    name: 'fake-service',
    quote: async (_s, req) => ({
      lineTax: req.lines.map(() => 500),
      shippingTax: 10,
      tax: 510,
      rateBp: 850,
      jurisdictions: [
        { code: 'US-WV', name: 'West Virginia', rateBp: 600, taxable: 5997, tax: 360 },
        { code: 'US-WV-WOOD', name: 'Wood County', rateBp: 250, taxable: 5997, tax: 150 },
      ],
    }),
  };
  const quoted = await quoteTotals(service, settings, lines, { state: 'WV' });
  assert.deepEqual([quoted.tax, quoted.total, quoted.jurisdictions.length], [510, 5997 + 695 + 510, 2]);
  const { tableTaxProvider } = await import('../../src/domain/tax/tax-provider.ts');
  assert.deepEqual(await quoteTotals(tableTaxProvider, settings, lines, { state: 'WV' }), computeTotals(settings, lines, { state: 'WV' }));
});

test('zones price by destination and parcel weight, with their own free-shipping threshold', () => {
  const zones = parseZones('Nearby: WV OH PA | up to 1 kg 5.95 / 14.95 | up to 5 kg 8.95 / 19.95 | over 12.95 / 29.95 | free from 50\nFar: AK HI | up to 2 kg 19.95 / 39.95 | over 34.95 / 59.95 | never free');
  assert.ok(Array.isArray(zones));
  const s: StoreSettings = { ...settings, shipping: { ...settings.shipping, zones } };
  const light = [{ unitPrice: 2000, quantity: 2, weightGrams: 400 }];
  assert.deepEqual([computeTotals(s, light, { state: 'OH' }).shipping, computeTotals(s, light, { state: 'OH' }).grams], [595, 800]);
  assert.equal(computeTotals(s, [{ unitPrice: 2000, quantity: 2, weightGrams: 600 }], { state: 'OH' }).shipping, 895, '1.2 kg is in the 5 kg bracket');
  assert.equal(computeTotals(s, [{ unitPrice: 2000, quantity: 1, weightGrams: 9000 }], { state: 'OH', shippingMethod: 'express' }).shipping, 2995);
  assert.equal(computeTotals(s, [{ unitPrice: 6000, quantity: 1, weightGrams: 400 }], { state: 'OH' }).shipping, 0, 'the zone is free from $50');
  assert.equal(computeTotals(s, [{ unitPrice: 20000, quantity: 1, weightGrams: 400 }], { state: 'AK' }).shipping, 1995, 'never free in the far zone');
  assert.equal(computeTotals(s, [{ unitPrice: 2000, quantity: 1, weightGrams: 400 }], { state: 'TX' }).shipping, 695, 'a state in no zone pays the flat rate');
  assert.equal(computeTotals(s, [{ unitPrice: 1000, quantity: 3 }], { state: 'OH' }).shipping, 895, 'no recorded weight counts 500 g a unit');
  assert.equal(computeTotals(s, light, { state: 'OH', shippingRate: 695 }).shipping, 695, 'a rate already paid is kept');
  assert.equal(amountToFreeShipping(s, { subtotal: 4000, grams: 800, state: 'OH' }), 1000);
  assert.equal(amountToFreeShipping(s, { subtotal: 4000, grams: 800, state: 'AK' }), undefined);
});

test('a zone line that cannot be read names what is wrong', () => {
  assert.match(String(parseZones('Nearby WV OH')), /start with the zone's name/);
  assert.match(String(parseZones('Nearby: WV XX | over 5 / 10')), /XX is not a US state code/);
  assert.match(String(parseZones('Nearby: WV | up to 1 kg 5.95 / 14.95')), /end with an “over …” bracket/);
  assert.match(String(parseZones('A: WV | over 5 / 9\nB: WV | over 5 / 9')), /WV is in two zones/);
  assert.match(String(parseZones('A: WV | up to heavy 5 / 9 | over 5 / 9')), /write a weight bracket/);
});

test('states without a rate, and an unknown state, pay no tax', () => {
  assert.equal(computeTotals(settings, [{ unitPrice: 5000, quantity: 1 }], { state: 'OH' }).tax, 0);
  assert.equal(computeTotals(settings, [{ unitPrice: 5000, quantity: 1 }]).tax, 0);
});

test('tax rounds half up to the cent', () => {
  // 6% of $0.25 is 1.5 cents.
  assert.deepEqual(computeTotals(settings, [{ unitPrice: 25, quantity: 1 }], { state: 'WV' }).lineTax, [2]);
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
    shippingOptions(settings, { subtotal: 8000, grams: 1000 }).map((o) => [o.method, o.rate, o.free]),
    [
      ['standard', 0, true],
      ['express', 1895, false],
    ],
  );
  assert.equal(amountToFreeShipping(settings, { subtotal: 5000, grams: 0 }), 2500);
  assert.equal(amountToFreeShipping(settings, { subtotal: 8000, grams: 0 }), undefined);
  assert.equal(amountToFreeShipping({ ...settings, shipping: { ...settings.shipping, freeStandardFrom: null } }, { subtotal: 5000, grams: 0 }), undefined);
});
