// The arithmetic of after-sales: a line's tax refunded in parts adds up to exactly the line's
// tax, the fee applies to the goods only, shipping goes back by policy or our mistake (once),
// and the return window ends at midnight in the shop's time zone.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { lastReturnDay, quoteRefund, refundPolicy, returnWindowEnd, type RefundableLine } from '../../src/domain/returns/return-rules.ts';
import fc from 'fast-check';
import { settingsSchema } from '../../src/domain/settings/store-settings.ts';
import { allocate } from '../../src/domain/shared/money.ts';

const line = (over: Partial<RefundableLine> = {}): RefundableLine => ({ sku: 'THROW-1', unitPrice: 1005, quantity: 1, lineQuantity: 3, lineTax: 181, refundedBefore: 0, ...over });

describe('return rules', () => {
  it('refunds a line’s tax in parts that add up to exactly the line’s tax, whatever the split', () => {
    for (const [lineQuantity, lineTax] of [
      [3, 181],
      [7, 100],
      [4, 1],
      [5, 0],
    ] as const) {
      for (const split of [[lineQuantity], Array(lineQuantity).fill(1), [1, lineQuantity - 1].filter((n) => n > 0)]) {
        let before = 0;
        let tax = 0;
        for (const q of split) {
          tax += quoteRefund([line({ quantity: q, lineQuantity, lineTax, refundedBefore: before })], { shipping: 0, shippingTax: 0, restockingFeeBp: 0 }).tax;
          before += q;
        }
        assert.equal(tax, lineTax, `${lineQuantity} units, tax ${lineTax}, split ${split.join('+')}`);
      }
    }
    const two = quoteRefund([line({ quantity: 2 })], { shipping: 0, shippingTax: 0, restockingFeeBp: 0 });
    assert.deepEqual([two.goods, two.tax, two.amount], [2010, 121, 2131]);
  });

  it('takes the restocking fee from the goods only and adds shipping', () => {
    const q = quoteRefund([line({ quantity: 2 }), line({ sku: 'MUG-1', unitPrice: 1500, quantity: 1, lineQuantity: 1, lineTax: 90 })], { shipping: 695, shippingTax: 42, restockingFeeBp: 1000 });
    assert.equal(q.goods, 3510);
    assert.equal(q.tax, 211 + 42, 'the lines’ tax and the tax charged on shipping');
    assert.equal(q.fee, 351);
    assert.equal(q.amount, 3510 + 211 + 42 + 695 - 351);
  });

  it('returns shipping when the store says so or the mistake was ours, once; the fee only when the customer changed their mind', () => {
    const base = settingsSchema.parse({});
    const withFee = { ...base, returns: { ...base.returns, restockingFeeBp: 1500 } };
    const order = { shipping: 695, shippingTax: 42 };
    assert.deepEqual(refundPolicy(withFee, 'no_longer_needed', order, false), { restockingFeeBp: 1500, shipping: 0, shippingTax: 0 });
    assert.deepEqual(refundPolicy(withFee, 'damaged', order, false), { restockingFeeBp: 0, shipping: 695, shippingTax: 42 });
    assert.deepEqual(refundPolicy(withFee, 'wrong_item', order, true), { restockingFeeBp: 0, shipping: 0, shippingTax: 0 });
    const generous = { ...base, returns: { ...base.returns, refundShipping: true } };
    assert.deepEqual(refundPolicy(generous, 'no_longer_needed', order, false), { restockingFeeBp: 0, shipping: 695, shippingTax: 42 });
  });

  it('gives each taxing authority its exact share: one of three units, then the rest, adds up to what each was charged', () => {
    // A tax service's split: state 6%, county 1%, city 0.5% of $30.15 goods = 181 + 30 + 15.
    const jurisdictions = [
      { code: 'US-WV', name: 'West Virginia', rateBp: 600, taxable: 3015, tax: 181 },
      { code: 'US-WV-WOOD', name: 'Wood County', rateBp: 100, taxable: 3015, tax: 30 },
      { code: 'US-WV-PKB', name: 'Parkersburg', rateBp: 50, taxable: 3015, tax: 15 },
    ];
    const lineTax = 226;
    const quote = (quantity: number, refundedBefore: number, taxBefore: number) =>
      quoteRefund([line({ quantity, lineTax, refundedBefore })], { shipping: 0, shippingTax: 0, restockingFeeBp: 0 }, { jurisdictions, refundedBefore: taxBefore });
    const one = quote(1, 0, 0);
    assert.equal(one.tax, 75);
    assert.deepEqual(one.jurisdictions, [
      { code: 'US-WV', tax: 60 },
      { code: 'US-WV-WOOD', tax: 10 },
      { code: 'US-WV-PKB', tax: 5 },
    ]);
    const rest = quote(2, 1, one.tax);
    assert.deepEqual(
      jurisdictions.map((_, i) => one.jurisdictions[i]!.tax + rest.jurisdictions[i]!.tax),
      jurisdictions.map((j) => j.tax),
    );
  });

  it('refunds of every unit, in any steps, give back each line’s and each authority’s tax to the cent (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ lineQuantity: fc.integer({ min: 1, max: 20 }), lineTax: fc.integer({ min: 0, max: 50_000 }) }), { minLength: 1, maxLength: 4 }),
        fc.array(fc.integer({ min: 0, max: 5000 }), { minLength: 1, maxLength: 3 }),
        fc.integer({ min: 0, max: 2000 }),
        fc.integer(),
        (lines, weights, shippingTax, seed) => {
          const charged = lines.reduce((n, l) => n + l.lineTax, 0) + shippingTax;
          const split = allocate(charged, weights);
          const jurisdictions = split.map((tax, i) => ({ code: `J${i}`, name: `J${i}`, rateBp: 100, taxable: 0, tax }));
          const refunded = lines.map(() => 0);
          const back = jurisdictions.map(() => 0);
          let taxBefore = 0;
          let rng = seed;
          let first = true;
          while (refunded.some((r, i) => r < lines[i]!.lineQuantity)) {
            rng = (rng * 1103515245 + 12345) | 0;
            const i = refunded.findIndex((r, k) => r < lines[k]!.lineQuantity);
            const units = 1 + (Math.abs(rng) % (lines[i]!.lineQuantity - refunded[i]!));
            const q = quoteRefund(
              [line({ quantity: units, lineQuantity: lines[i]!.lineQuantity, lineTax: lines[i]!.lineTax, refundedBefore: refunded[i]! })],
              { shipping: 0, shippingTax: first ? shippingTax : 0, restockingFeeBp: 0 },
              { jurisdictions, refundedBefore: taxBefore },
            );
            first = false;
            refunded[i]! += units;
            taxBefore += q.tax;
            q.jurisdictions.forEach((j, k) => (back[k]! += j.tax));
            assert.equal(q.jurisdictions.reduce((n, j) => n + j.tax, 0), q.tax);
          }
          assert.equal(taxBefore, charged);
          assert.deepEqual(back, split);
        },
      ),
    );
  });

  it('ends the window at midnight in the shop’s time zone, counting days from the day of delivery', () => {
    // Delivered 11:30 PM on March 3 in New York (already March 4 in UTC).
    const delivered = new Date('2025-03-04T04:30:00Z');
    const end = returnWindowEnd(delivered, 30, 'America/New_York');
    assert.equal(end.toISOString(), '2025-04-03T04:00:00.000Z');
    assert.equal(lastReturnDay(end, 'America/New_York'), 'Wednesday, April 2');
    assert.equal(returnWindowEnd(delivered, 0, 'America/New_York').toISOString(), '2025-03-04T05:00:00.000Z');
  });
});
