// Pure rules of parcels: what a parcel may carry given what is left, and how the provider's carrier names map to ours.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parcelContents, type LineLeft } from '../../src/domain/shipments/shipment-contents.ts';
import { carrierOfLabel } from '../../src/domain/shipments/labels.ts';
import { DomainError } from '../../src/domain/shared/errors.ts';

const line = (id: string, ordered: number, shipped: number): LineLeft => ({ orderItemId: id, sku: `SKU-${id}`, productName: `Product ${id}`, variantId: null, ordered, shipped, left: ordered - shipped });
const left = [line('a', 2, 0), line('b', 1, 1), line('c', 3, 1)];
const fieldsOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof DomainError);
    return (err.details as { fields: Record<string, string> }).fields;
  }
  assert.fail('expected a refusal');
};

describe('parcel contents', () => {
  it('carries everything left when no lines are named', () => {
    assert.deepEqual(parcelContents(left, undefined), [
      { orderItemId: 'a', quantity: 2 },
      { orderItemId: 'c', quantity: 2 },
    ]);
  });
  it('keeps the named units and drops zero lines', () => {
    assert.deepEqual(parcelContents(left, [{ orderItemId: 'a', quantity: 1 }, { orderItemId: 'c', quantity: 0 }]), [{ orderItemId: 'a', quantity: 1 }]);
  });
  it('refuses more than is left, naming the line', () => {
    assert.deepEqual(fieldsOf(() => parcelContents(left, [{ orderItemId: 'c', quantity: 3 }])), { 'items.c': 'Only 2 of SKU-c are left to ship.' });
    assert.deepEqual(fieldsOf(() => parcelContents(left, [{ orderItemId: 'b', quantity: 1 }])), { 'items.b': 'All 1 of SKU-b are already shipped.' });
  });
  it('refuses an empty parcel, a fraction and a line of another order', () => {
    assert.deepEqual(fieldsOf(() => parcelContents(left, [{ orderItemId: 'a', quantity: 0 }])), { items: 'Put at least one unit in the parcel.' });
    assert.ok(fieldsOf(() => parcelContents(left, [{ orderItemId: 'a', quantity: 1.5 }]))['items.a']);
    assert.ok(fieldsOf(() => parcelContents(left, [{ orderItemId: 'z', quantity: 1 }])).items);
  });
});

describe('carrier names from the provider', () => {
  it('maps to the store carriers, anything else to other', () => {
    assert.deepEqual(['USPS', 'UPS', 'FedEx', 'FEDEX_GROUND', 'DHLExpress', 'OnTrac'].map(carrierOfLabel), ['USPS', 'UPS', 'FedEx', 'FedEx', 'DHL', 'other']);
  });
});
