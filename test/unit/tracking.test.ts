// Pure parts of tracking: order numbers and contacts as people type them, masking, the
// progress bar's stages, and the carrier webhook signature.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeOrderNumber, parseContact } from '../../src/domain/tracking/lookup.ts';
import { maskAddress, maskEmail, maskName, maskPhone } from '../../src/domain/tracking/masking.ts';
import { stagesOf } from '../../src/domain/tracking/tracking-view.ts';
import { signCarrierBody, verifyCarrierSignature } from '../../src/domain/shipments/carrier-events.ts';

test('order numbers typed any way become the stored form', () => {
  for (const typed of ['CS-7K3M-9QX2', 'cs-7k3m-9qx2', 'CS7K3M9QX2', 'cs 7k3m 9qx2', ' CS - 7K3M - 9QX2 ', '7K3M-9QX2', '7k3m9qx2', 'cs_7k3m.9qx2']) {
    assert.equal(normalizeOrderNumber(typed, 'CS-'), 'CS-7K3M-9QX2', typed);
  }
  // Without the prefix, the configured one is assumed; an earlier prefix still works when typed.
  assert.equal(normalizeOrderNumber('7K3M9QX2', 'SHOP-'), 'SHOP-7K3M-9QX2');
  assert.equal(normalizeOrderNumber('ab-7k3m-9qx2', 'CS-'), 'AB-7K3M-9QX2');
  for (const bad of ['', 'CS-7K3M', 'hello', 'CS-7K3M-9QX2-EXTRA', '12345-7K3M-9QX2']) assert.equal(normalizeOrderNumber(bad, 'CS-'), undefined, bad);
});

test('contacts: emails case-insensitively, US phones in any common format as E.164', () => {
  assert.deepEqual(parseContact(' Jane.Doe@Example.COM '), { kind: 'email', email: 'jane.doe@example.com' });
  for (const phone of ['304-555-0142', '(304) 555 0142', '+1 304 555 0142', '3045550142', '1 (304) 555-0142', '304.555.0142']) {
    assert.deepEqual(parseContact(phone), { kind: 'phone', phone: '+13045550142' }, phone);
  }
  for (const bad of ['', 'jane@', '555-0142', 'CS-7K3M-9QX2', 'call me']) assert.equal(parseContact(bad), undefined, bad);
});

test('personal data is partly hidden', () => {
  assert.equal(maskName('Jane Doe'), 'J. D.');
  assert.equal(maskName('  Ana  María de la Cruz '), 'A. M. d. l. C.');
  assert.equal(maskEmail('jane.doe@example.com'), 'j•••@e•••.com');
  assert.equal(maskEmail('x@mail.example.co.uk'), 'x•••@m•••.uk');
  assert.equal(maskPhone('+13045550142'), '•••-•••-0142');
  assert.deepEqual(maskAddress({ name: 'Jane Doe', line1: '12 Market St', line2: 'Apt 4', city: 'Parkersburg', state: 'WV', postalCode: '26101', country: 'US' }), {
    name: 'J. D.',
    city: 'Parkersburg',
    state: 'WV',
    postalCode: '26101',
    country: 'US',
  });
});

const at = (h: number) => new Date(Date.UTC(2025, 2, 3, h));
const ev = (to: string, h: number, from: string | null = null) => ({ type: to === 'paid' ? 'placed' : 'transition', from, to, at: at(h) });

test('the progress bar marks reached stages with their times, the current one, and what is still to come', () => {
  const events = [ev('paid', 9), ev('verified', 10, 'paid'), ev('preparing', 11, 'verified')];
  assert.deepEqual(
    stagesOf('preparing', at(9), events).map((s) => [s.name, s.state, s.at?.getUTCHours()]),
    [
      ['placed', 'done', 9],
      ['verified', 'done', 10],
      ['preparing', 'current', 11],
      ['packed', 'upcoming', undefined],
      ['shipped', 'upcoming', undefined],
      ['delivered', 'upcoming', undefined],
    ],
  );
  // Delivered: everything done. On hold: back before verification.
  const all = [...events, ev('packed', 12, 'preparing'), ev('shipped', 13, 'packed'), ev('delivered', 14, 'shipped')];
  assert.ok(stagesOf('delivered', at(9), all).every((s) => s.state === 'done' && s.at));
  const held = stagesOf('on_hold', at(9), [ev('paid', 9), ev('verified', 10, 'paid'), ev('on_hold', 11, 'verified')]);
  assert.deepEqual(held.map((s) => s.state), ['current', 'upcoming', 'upcoming', 'upcoming', 'upcoming', 'upcoming']);
});

test('a cancelled order shows the stages it reached, then Cancelled', () => {
  const stages = stagesOf('cancelled', at(9), [ev('paid', 9), ev('verified', 10, 'paid'), ev('cancelled', 12, 'verified')]);
  assert.deepEqual(
    stages.map((s) => [s.name, s.state, s.at?.getUTCHours()]),
    [
      ['placed', 'done', 9],
      ['verified', 'done', 10],
      ['cancelled', 'cancelled', 12],
    ],
  );
});

test('carrier signatures: HMAC-SHA256 over the exact bytes, in constant time', () => {
  const secret = 'a-webhook-secret-of-some-length';
  const body = Buffer.from('{"trackingNumber":"1Z999AA10123456784","status":"delivered"}');
  const header = signCarrierBody(secret, body);
  assert.match(header, /^sha256=[0-9a-f]{64}$/);
  assert.equal(verifyCarrierSignature(secret, body, header), true);
  assert.equal(verifyCarrierSignature(secret, body, header.toUpperCase().replace('SHA256', 'sha256')), true);
  assert.equal(verifyCarrierSignature(secret, Buffer.concat([body, Buffer.from(' ')]), header), false);
  assert.equal(verifyCarrierSignature('another-secret-entirely', body, header), false);
  for (const bad of [undefined, '', 'sha256=', 'sha256=abc', header.slice(7), `sha1=${header.slice(7)}`]) assert.equal(verifyCarrierSignature(secret, body, bad), false, String(bad));
});
