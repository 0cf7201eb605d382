// Pure parts of customer service: what a change request may ask and what the order becomes
// (lines, tax per line, totals, refund), and reply times shown to customers, counted in
// service hours in the shop's time zone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DateTime } from 'luxon';
import type { Address } from '../../src/db/schema.ts';
import { defaultSettings } from '../../src/domain/settings/store-settings.ts';
import { DomainError } from '../../src/domain/shared/errors.ts';
import { describeChanges, planModification, requestedFromStored, type CurrentLine, type OrderForChange } from '../../src/domain/requests/modification.ts';
import { formatReplyBy, parseContactInput } from '../../src/domain/support/contact-form.ts';
import { addServiceHours } from '../../src/domain/support/service-hours.ts';

const settings = defaultSettings();
const home: Address = { name: 'Jane Doe', line1: '12 Market St', city: 'Parkersburg', state: 'WV', postalCode: '26101', country: 'US' };
// 2 × $50.00 + 1 × $15.00 = $115.00, free standard shipping, 6 % tax $6.90: $121.90.
const order: OrderForChange = { currency: 'USD', shippingAddress: home, shippingMethod: 'standard', shipping: 0, taxRateBp: 600, total: 12190 };
const lines: CurrentLine[] = [
  { id: 'a', sku: 'LAMP-1', name: 'Test Lamp', unitPrice: 5000, quantity: 2 },
  { id: 'b', sku: 'MUG-1', name: 'Test Mug', unitPrice: 1500, quantity: 1 },
];

const fieldsOf = (fn: () => unknown): Record<string, string> => {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof DomainError);
    assert.equal(err.code, 'validation_failed');
    return (err.details as { fields: Record<string, string> }).fields;
  }
  assert.fail('expected a validation error');
};

test('lowering a quantity recomputes the lines, the tax share of each and the refund', () => {
  const plan = planModification(settings, order, lines, { items: [{ sku: 'LAMP-1', quantity: 1 }] });
  // $65.00 is below the free-shipping threshold: standard shipping ($6.95) applies, as at checkout, and West Virginia taxes it ($0.42).
  assert.deepEqual([plan.totals.subtotal, plan.totals.shipping, plan.totals.tax, plan.totals.total], [6500, 695, 390 + 42, 7627]);
  assert.deepEqual(plan.lines, [
    { id: 'a', sku: 'LAMP-1', quantity: 1, lineTotal: 5000, discount: 0, tax: 300, removed: 1 },
    { id: 'b', sku: 'MUG-1', quantity: 1, lineTotal: 1500, discount: 0, tax: 90, removed: 0 },
  ]);
  assert.equal(plan.refund, 12190 - 7627);
  assert.deepEqual(plan.changes, { items: [{ sku: 'LAMP-1', name: 'Test Lamp', from: 2, quantity: 1 }] });
});

test('a new address is validated like checkout and normalised; the same state keeps the rate the order was charged', () => {
  const raised = { ...settings, taxRates: { WV: 700 } };
  const plan = planModification(raised, order, lines, { shippingAddress: { name: ' Jane Doe ', line1: '3 Elm St', city: 'Elkins', state: 'wv', postalCode: '26241 1234' } });
  assert.deepEqual(plan.address, { name: 'Jane Doe', line1: '3 Elm St', city: 'Elkins', state: 'WV', postalCode: '26241-1234', country: 'US' });
  assert.deepEqual([plan.totals.tax, plan.totals.total, plan.refund], [690, 12190, 0], 'nothing to refund for an address change');
  assert.deepEqual(plan.changes.previousAddress, home);

  // Another state: its own rate (Ohio collects none here), so the tax comes back.
  const ohio = planModification(settings, order, lines, { shippingAddress: { ...home, city: 'Marietta', state: 'OH', postalCode: '45750' } });
  assert.deepEqual([ohio.totals.tax, ohio.refund], [0, 690]);

  const fields = fieldsOf(() => planModification(settings, order, lines, { shippingAddress: { name: '', line1: '3 Elm St', city: 'Elkins', state: 'XX', postalCode: '123' } }));
  assert.deepEqual(Object.keys(fields).sort(), ['changes.shippingAddress.name', 'changes.shippingAddress.postalCode', 'changes.shippingAddress.state']);
});

test('only lowering or removing: more units, new items, duplicates, nothing, or everything removed are refused with reasons', () => {
  assert.match(fieldsOf(() => planModification(settings, order, lines, { items: [{ sku: 'LAMP-1', quantity: 3 }] }))['changes.items.0.quantity']!, /only lower/);
  assert.match(fieldsOf(() => planModification(settings, order, lines, { items: [{ sku: 'VASE-1', quantity: 1 }] }))['changes.items.0.sku']!, /not in this order/);
  assert.match(fieldsOf(() => planModification(settings, order, lines, { items: [{ sku: 'MUG-1', quantity: 0 }, { sku: 'MUG-1', quantity: 0 }] }))['changes.items.1.sku']!, /twice/);
  assert.match(fieldsOf(() => planModification(settings, order, lines, { items: [{ sku: 'MUG-1', quantity: 1.5 }] }))['changes.items.0.quantity']!, /whole number/);
  assert.match(fieldsOf(() => planModification(settings, order, lines, { items: [{ sku: 'MUG-1', quantity: 1 }] })).changes!, /Nothing to change/);
  assert.match(fieldsOf(() => planModification(settings, order, lines, { shippingAddress: { ...home } })).changes!, /Nothing to change/);
  const all = fieldsOf(() => planModification(settings, order, lines, { items: [{ sku: 'LAMP-1', quantity: 0 }, { sku: 'MUG-1', quantity: 0 }] }));
  assert.match(all['changes.items']!, /ask to cancel it instead/);
});

test('a change that would cost more than was paid is refused', () => {
  // $80.00 with free shipping + 6 % = $84.80; one $10 unit less loses free shipping, yet $70 + $6.95 + 6 % of both ($4.62) = $81.57 is still less…
  const small: CurrentLine[] = [{ id: 'a', sku: 'CUP-1', name: 'Cup', unitPrice: 1000, quantity: 8 }];
  const paid: OrderForChange = { ...order, total: 8480 };
  assert.equal(planModification(settings, paid, small, { items: [{ sku: 'CUP-1', quantity: 7 }] }).refund, 8480 - 8157);
  // …but in a state with a higher rate the total would rise.
  const dear = { ...settings, taxRates: { WV: 600, CA: 1000 } };
  const fields = fieldsOf(() => planModification(dear, paid, small, { shippingAddress: { ...home, city: 'Fresno', state: 'CA', postalCode: '93650' } }));
  assert.match(fields.changes!, /more than the \$84\.80 you paid/);
});

test('a stored request plans again the same way, and reads in words (without the street for the customer)', () => {
  const plan = planModification(settings, order, lines, { shippingAddress: { ...home, line1: '3 Elm St', line2: 'Apt 2' }, items: [{ sku: 'MUG-1', quantity: 0 }] });
  const again = planModification(settings, order, lines, requestedFromStored(plan.changes));
  assert.deepEqual(again.totals, plan.totals);
  assert.deepEqual(describeChanges(plan.changes), ['Ship to Jane Doe, 3 Elm St, Apt 2, Parkersburg, WV 26101', 'Remove Test Mug (1 ordered)']);
  assert.deepEqual(describeChanges(plan.changes, true), ['New delivery address in Parkersburg, WV 26101', 'Remove Test Mug (1 ordered)']);
  assert.deepEqual(describeChanges(null), []);
});

test('reply times are shown in the shop time zone and count only service hours', () => {
  const hours = settings.serviceHours;
  const ny = (iso: string) => DateTime.fromISO(iso, { zone: 'America/New_York' }).toJSDate();
  // Friday 17:00 + 4 service hours → Monday 12:00, across the weekend of the spring DST change.
  const due = addServiceHours(hours, ny('2026-03-06T17:00'), hours.firstReplyHours);
  assert.equal(formatReplyBy(hours, due), 'Monday, March 9 at 12:00 ET');
  // Sent at lunch: counting starts at 14:00 → 18:00 the same day.
  assert.equal(formatReplyBy(hours, addServiceHours(hours, ny('2026-03-04T12:30'), 4)), 'Wednesday, March 4 at 18:00 ET');
  // A holiday on Monday pushes it to Tuesday.
  const withHoliday = { ...hours, holidays: ['2026-03-09'] };
  assert.equal(formatReplyBy(withHoliday, addServiceHours(withHoliday, ny('2026-03-06T17:00'), 4)), 'Tuesday, March 10 at 12:00 ET');
});

test('the contact form names every field that needs attention', () => {
  const fields = fieldsOf(() => parseContactInput({ name: ' ', email: 'nope', orderNumber: 'hello', topic: 'x', message: '' }, 'CS-'));
  assert.deepEqual(Object.keys(fields).sort(), ['email', 'message', 'name', 'orderNumber', 'topic']);
  const ok = parseContactInput({ name: 'Ann', email: 'Ann@Example.COM', orderNumber: 'cs 7k3m 9qx2', topic: 'returns', message: ' Hi ' }, 'CS-');
  assert.deepEqual(ok, { name: 'Ann', email: 'Ann@example.com', orderNumber: 'CS-7K3M-9QX2', topic: 'returns', message: 'Hi' });
});
