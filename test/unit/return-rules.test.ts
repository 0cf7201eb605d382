// The arithmetic of after-sales: a line's tax refunded in parts adds up to exactly the line's
// tax, the fee applies to the goods only, shipping goes back by policy or our mistake (once),
// and the return window ends at midnight in the shop's time zone.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { lastReturnDay, quoteRefund, refundPolicy, returnWindowEnd, type RefundableLine } from '../../src/domain/returns/return-rules.ts';
import { settingsSchema } from '../../src/domain/settings/store-settings.ts';

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
          tax += quoteRefund([line({ quantity: q, lineQuantity, lineTax, refundedBefore: before })], { shipping: 0, restockingFeeBp: 0 }).tax;
          before += q;
        }
        assert.equal(tax, lineTax, `${lineQuantity} units, tax ${lineTax}, split ${split.join('+')}`);
      }
    }
    const two = quoteRefund([line({ quantity: 2 })], { shipping: 0, restockingFeeBp: 0 });
    assert.deepEqual([two.goods, two.tax, two.amount], [2010, 121, 2131]);
  });

  it('takes the restocking fee from the goods only and adds shipping', () => {
    const q = quoteRefund([line({ quantity: 2 }), line({ sku: 'MUG-1', unitPrice: 1500, quantity: 1, lineQuantity: 1, lineTax: 90 })], { shipping: 695, restockingFeeBp: 1000 });
    assert.equal(q.goods, 3510);
    assert.equal(q.tax, 211);
    assert.equal(q.fee, 351);
    assert.equal(q.amount, 3510 + 211 + 695 - 351);
  });

  it('returns shipping when the store says so or the mistake was ours, once; the fee only when the customer changed their mind', () => {
    const base = settingsSchema.parse({});
    const withFee = { ...base, returns: { ...base.returns, restockingFeeBp: 1500 } };
    assert.deepEqual(refundPolicy(withFee, 'no_longer_needed', 695, false), { restockingFeeBp: 1500, shipping: 0 });
    assert.deepEqual(refundPolicy(withFee, 'damaged', 695, false), { restockingFeeBp: 0, shipping: 695 });
    assert.deepEqual(refundPolicy(withFee, 'wrong_item', 695, true), { restockingFeeBp: 0, shipping: 0 });
    const generous = { ...base, returns: { ...base.returns, refundShipping: true } };
    assert.deepEqual(refundPolicy(generous, 'no_longer_needed', 695, false), { restockingFeeBp: 0, shipping: 695 });
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
