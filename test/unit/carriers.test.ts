// Tracking numbers checked loosely per carrier, and the carriers' public tracking links.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { carrierTrackingUrl, normalizeTrackingNumber, trackingNumberProblem, type Carrier } from '../../src/domain/shipments/carriers.ts';
import { canonicalOrderNumber } from '../../src/domain/orders/order-number.ts';

const ok: [Carrier, string][] = [
  ['UPS', '1Z999AA10123456784'],
  ['UPS', '1z 999 aa1 0123 4567 84'],
  ['USPS', '9400111899223856927499'],
  ['USPS', '94001118992238569274'],
  ['USPS', 'EA123456785US'],
  ['FedEx', '123456789012'],
  ['FedEx', '123456789012345'],
  ['FedEx', '12345678901234567890'],
  ['DHL', '1234567890'],
  ['other', 'LOCAL-42a'],
];

const bad: [Carrier, string][] = [
  ['UPS', '1Z999AA1012345678'],
  ['UPS', '9400111899223856927499'],
  ['USPS', '9400111899'],
  ['USPS', 'EA123456785CN'],
  ['FedEx', '1234567890123'],
  ['DHL', '123456789'],
  ['other', 'abc'],
  ['other', 'has/slash1'],
  ['DHL', ''],
];

describe('carriers', () => {
  it('accepts tracking numbers that fit the carrier, typed with spaces or in lower case', () => {
    for (const [carrier, raw] of ok) assert.equal(trackingNumberProblem(carrier, normalizeTrackingNumber(raw)), undefined, `${carrier} ${raw}`);
  });

  it('refuses numbers of the wrong shape with what was expected', () => {
    for (const [carrier, raw] of bad) assert.ok(trackingNumberProblem(carrier, normalizeTrackingNumber(raw)), `${carrier} ${raw}`);
    assert.match(trackingNumberProblem('DHL', '123')!, /10 digits/);
  });

  it('links to the carrier’s own tracking page', () => {
    assert.equal(carrierTrackingUrl('UPS', '1Z999AA10123456784'), 'https://www.ups.com/track?tracknum=1Z999AA10123456784');
    assert.match(carrierTrackingUrl('USPS', 'EA123456785US')!, /^https:\/\/tools\.usps\.com\/.*EA123456785US$/);
    assert.match(carrierTrackingUrl('FedEx', '123456789012')!, /fedex\.com/);
    assert.match(carrierTrackingUrl('DHL', '1234567890')!, /dhl\.com/);
    assert.equal(carrierTrackingUrl('other', 'LOCAL-42'), null);
  });
});

describe('order numbers as typed', () => {
  it('finds the stored form in any case, with or without dashes and spaces', () => {
    for (const typed of ['CS-7K3M-9QX2', 'cs-7k3m-9qx2', 'CS7K3M9QX2', ' cs 7k3m 9qx2 ']) assert.equal(canonicalOrderNumber(typed), 'CS-7K3M-9QX2');
    assert.equal(canonicalOrderNumber('ABCD-2345-6789'), 'ABCD-2345-6789');
    assert.equal(canonicalOrderNumber('7K3M9QX2'), undefined);
    assert.equal(canonicalOrderNumber('jane@example.com'), undefined);
  });
});
