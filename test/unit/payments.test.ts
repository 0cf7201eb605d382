import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { cardBrand, luhnValid, normalizeCardNumber, validateCard, summarizeCard, type CardInput } from '../../src/domain/payments/provider.ts';
import { createSandboxProvider } from '../../src/domain/payments/sandbox-provider.ts';
import { createPaymentRegistry } from '../../src/domain/payments/registry.ts';
import { DomainError } from '../../src/domain/shared/errors.ts';
import { fixedClock } from '../../src/domain/shared/clock.ts';

const NOW = new Date('2026-05-15T12:00:00Z');
const clock = fixedClock(NOW);
const card = (number: string, extra: Partial<CardInput> = {}): CardInput => ({ number, expMonth: 12, expYear: 2030, cvc: '123', ...extra });
let keySeq = 0;
const key = () => `key-${++keySeq}`;
const sandbox = (opts: Parameters<typeof createSandboxProvider>[0] = {}) => createSandboxProvider({ clock, ...opts });
const authorize = (p: ReturnType<typeof sandbox>, c: CardInput, amount = 5000, idempotencyKey = key()) =>
  p.authorize({ amount, currency: 'USD', card: c, idempotencyKey });

describe('card helpers', () => {
  test('normalizeCardNumber strips spaces and dashes', () => {
    assert.equal(normalizeCardNumber(' 4242 4242-4242 4242 '), '4242424242424242');
  });

  test('luhnValid', () => {
    for (const n of ['4242424242424242', '4242 4242 4242 4242', '5555555555554444', '378282246310005', '6011111111111117', '4000000000000002']) {
      assert.equal(luhnValid(n), true, n);
    }
    for (const n of ['4242424242424241', '1234567812345678', '', 'abcd', '4242', '42424242424242424242']) {
      assert.equal(luhnValid(n), false, n);
    }
  });

  test('cardBrand from IIN prefixes', () => {
    assert.equal(cardBrand('4242 4242 4242 4242'), 'visa');
    assert.equal(cardBrand('5555555555554444'), 'mastercard');
    assert.equal(cardBrand('2223003122003222'), 'mastercard');
    assert.equal(cardBrand('378282246310005'), 'amex');
    assert.equal(cardBrand('341111111111111'), 'amex');
    assert.equal(cardBrand('6011111111111117'), 'discover');
    assert.equal(cardBrand('6445644564456445'), 'discover');
    assert.equal(cardBrand('6500000000000002'), 'discover');
    assert.equal(cardBrand('3530111333300000'), 'other'); // JCB
    assert.equal(cardBrand('2720999999999996'), 'mastercard');
    assert.equal(cardBrand('2721000000000000'), 'other');
  });

  test('validateCard accepts a good card and returns no errors', () => {
    assert.deepEqual(validateCard(card('4242 4242 4242 4242'), NOW), {});
    assert.deepEqual(validateCard(card('3782 822463 10005', { cvc: '1234' }), NOW), {});
  });

  test('validateCard: current month is fine, last month has expired', () => {
    assert.equal(validateCard(card('4242424242424242', { expMonth: 5, expYear: 2026 }), NOW).expiry, undefined);
    assert.equal(validateCard(card('4242424242424242', { expMonth: 5, expYear: 26 }), NOW).expiry, undefined);
    assert.equal(validateCard(card('4242424242424242', { expMonth: 4, expYear: 2026 }), NOW).expiry, 'This card has expired');
    assert.equal(validateCard(card('4242424242424242', { expMonth: 12, expYear: 2025 }), NOW).expiry, 'This card has expired');
    // Last day of the month, late in the evening: still valid through the end of the month.
    assert.equal(validateCard(card('4242424242424242', { expMonth: 5, expYear: 2026 }), new Date('2026-05-31T23:59:59Z')).expiry, undefined);
    assert.equal(validateCard(card('4242424242424242', { expMonth: 13, expYear: 2026 }), NOW).expiry, 'Enter a valid expiry date');
  });

  test('validateCard field errors and messages never echo the input', () => {
    const errors = validateCard({ number: '4242 4242 4242 4241', expMonth: 1, expYear: 2020, cvc: '12' }, NOW);
    assert.deepEqual(errors, {
      cardNumber: 'Enter a valid card number',
      expiry: 'This card has expired',
      cvc: 'Enter the 3-digit security code',
    });
    assert.equal(validateCard(card('378282246310005', { cvc: '123' }), NOW).cvc, 'Enter the 4-digit security code');
    assert.equal(validateCard(card('4242424242424242', { cvc: '1234' }), NOW).cvc, 'Enter the 3-digit security code');
    assert.equal(validateCard(card('424242424242424'), NOW).cardNumber, 'Enter a valid card number');
    assert.deepEqual(Object.keys(validateCard({}, NOW)).sort(), ['cardNumber', 'cvc', 'expiry']);
  });

  test('summarizeCard keeps only brand, last 4 and expiry', () => {
    assert.deepEqual(summarizeCard(card('4242 4242 4242 4242', { expYear: 30 })), { brand: 'visa', last4: '4242', expMonth: 12, expYear: 2030 });
  });
});

describe('sandbox provider: test cards', () => {
  test('4242 4242 4242 4242 is authorized', async () => {
    const r = await authorize(sandbox(), card('4242 4242 4242 4242'));
    assert.equal(r.status, 'authorized');
    assert.match(r.transactionId!, /^sbx_ch_[0-9A-Za-z]{24}$/);
    assert.deepEqual(r.card, { brand: 'visa', last4: '4242', expMonth: 12, expYear: 2030 });
  });

  const declines: [string, string, string][] = [
    ['4000 0000 0000 0002', 'card_declined', 'Your card was declined.'],
    ['4000 0000 0000 9995', 'insufficient_funds', 'Your card has insufficient funds.'],
    ['4000 0000 0000 0069', 'expired_card', 'Your card has expired.'],
    ['4000 0000 0000 0127', 'incorrect_cvc', "Your card's security code is incorrect."],
    ['4242 4242 4242 4241', 'incorrect_number', 'Your card number is incorrect.'],
  ];
  for (const [number, code, message] of declines) {
    test(`${number} is declined ${code}`, async () => {
      const r = await authorize(sandbox(), card(number));
      assert.equal(r.status, 'declined');
      if (r.status !== 'declined') return;
      assert.equal(r.declineCode, code);
      assert.equal(r.message, message);
      assert.match(r.transactionId, /^sbx_ch_/);
      assert.equal(r.card.last4, normalizeCardNumber(number).slice(-4));
    });
  }

  test('4000 0000 0000 0119 fails with processing_error', async () => {
    const r = await authorize(sandbox(), card('4000 0000 0000 0119'));
    assert.equal(r.status, 'failed');
    if (r.status !== 'failed') return;
    assert.equal(r.declineCode, 'processing_error');
    assert.equal(r.message, 'An error occurred while processing your card. Try again in a little while.');
  });

  test('other Luhn-valid numbers of known brands are authorized', async () => {
    const p = sandbox();
    const mc = await authorize(p, card('5555 5555 5555 4444'));
    assert.equal(mc.status, 'authorized');
    assert.equal(mc.card?.brand, 'mastercard');
    const amex = await authorize(p, card('3782 822463 10005', { cvc: '1234' }));
    assert.equal(amex.status, 'authorized');
    assert.equal(amex.card?.brand, 'amex');
    const discover = await authorize(p, card('6011 1111 1111 1117'));
    assert.equal(discover.status, 'authorized');
  });

  test('an expired card or a wrong-length CVC is declined', async () => {
    const p = sandbox();
    const expired = await authorize(p, card('4242424242424242', { expMonth: 4, expYear: 2026 }));
    assert.equal(expired.status === 'declined' && expired.declineCode, 'expired_card');
    const thisMonth = await authorize(p, card('4242424242424242', { expMonth: 5, expYear: 2026 }));
    assert.equal(thisMonth.status, 'authorized');
    const cvc = await authorize(p, card('378282246310005', { cvc: '123' }));
    assert.equal(cvc.status === 'declined' && cvc.declineCode, 'incorrect_cvc');
  });

  test('results never contain the full card number or the CVC', async () => {
    const r = await authorize(sandbox(), card('4242424242424242', { cvc: '987' }));
    const json = JSON.stringify(r);
    assert.ok(!json.includes('4242424242424242'));
    assert.ok(!json.includes('987'));
  });

  test('invalid amount or currency is a programming error', async () => {
    const p = sandbox();
    await assert.rejects(p.authorize({ amount: 0, currency: 'USD', card: card('4242424242424242'), idempotencyKey: key() }), DomainError);
    await assert.rejects(p.authorize({ amount: 12.5, currency: 'USD', card: card('4242424242424242'), idempotencyKey: key() }), DomainError);
    await assert.rejects(p.authorize({ amount: 100, currency: 'dollars', card: card('4242424242424242'), idempotencyKey: key() }), DomainError);
    await assert.rejects(p.authorize({ amount: 100, currency: 'USD', card: card('4242424242424242'), idempotencyKey: '' }), DomainError);
  });
});

describe('sandbox provider: idempotency', () => {
  test('same key twice gives the same result object and transaction id', async () => {
    const p = sandbox();
    const k = key();
    const a = await authorize(p, card('4242424242424242'), 5000, k);
    const b = await authorize(p, card('4242424242424242'), 5000, k);
    assert.equal(a, b);
    assert.equal(a.transactionId, b.transactionId);
    const c = await authorize(p, card('4242424242424242'));
    assert.notEqual(c.transactionId, a.transactionId);
  });

  test('concurrent calls with the same key share one outcome (with latency)', async () => {
    const p = sandbox({ latencyMs: 20 });
    const k = key();
    const started = Date.now();
    const [a, b] = await Promise.all([authorize(p, card('4242424242424242'), 5000, k), authorize(p, card('4242424242424242'), 5000, k)]);
    assert.ok(Date.now() - started >= 15);
    assert.equal(a, b);
  });

  test('a refund repeated with the same key refunds once', async () => {
    const p = sandbox();
    const auth = await authorize(p, card('4242424242424242'), 1000);
    const k = key();
    const r1 = await p.refund({ transactionId: auth.transactionId!, amount: 1000, currency: 'USD', idempotencyKey: k });
    const r2 = await p.refund({ transactionId: auth.transactionId!, amount: 1000, currency: 'USD', idempotencyKey: k });
    assert.equal(r1.status, 'succeeded');
    assert.equal(r1, r2);
    assert.match(r1.status === 'succeeded' ? r1.refundId : '', /^sbx_re_[0-9A-Za-z]{24}$/);
  });

  test('the idempotency memory is bounded', async () => {
    const p = sandbox({ maxEntries: 2 });
    const a = await authorize(p, card('4242424242424242'), 100, 'k1');
    await authorize(p, card('4242424242424242'), 100, 'k2');
    await authorize(p, card('4242424242424242'), 100, 'k3');
    const again = await authorize(p, card('4242424242424242'), 100, 'k1');
    assert.notEqual(again.transactionId, a.transactionId);
  });
});

describe('sandbox provider: capture, void, refund', () => {
  test('capture up to the authorized amount, once', async () => {
    const p = sandbox();
    const auth = await authorize(p, card('4242424242424242'), 5000);
    const id = auth.transactionId!;
    assert.equal((await p.capture({ transactionId: id, amount: 6000, idempotencyKey: key() })).status, 'failed');
    assert.deepEqual(await p.capture({ transactionId: id, amount: 5000, idempotencyKey: key() }), { status: 'captured' });
    const twice = await p.capture({ transactionId: id, amount: 5000, idempotencyKey: key() });
    assert.equal(twice.status, 'failed');
  });

  test('void an authorization; a voided payment cannot be captured or refunded', async () => {
    const p = sandbox();
    const { transactionId } = await authorize(p, card('4242424242424242'));
    assert.deepEqual(await p.void({ transactionId: transactionId!, idempotencyKey: key() }), { status: 'voided' });
    assert.equal((await p.capture({ transactionId: transactionId!, amount: 5000, idempotencyKey: key() })).status, 'failed');
    const refund = await p.refund({ transactionId: transactionId!, amount: 100, currency: 'USD', idempotencyKey: key() });
    assert.equal(refund.status === 'failed' && refund.retryable, false);
  });

  test('a captured payment cannot be voided', async () => {
    const p = sandbox();
    const { transactionId } = await authorize(p, card('4242424242424242'));
    await p.capture({ transactionId: transactionId!, amount: 5000, idempotencyKey: key() });
    const r = await p.void({ transactionId: transactionId!, idempotencyKey: key() });
    assert.equal(r.status, 'failed');
  });

  test('declined payments cannot be captured, voided or refunded', async () => {
    const p = sandbox();
    const { transactionId } = await authorize(p, card('4000000000000002'));
    assert.equal((await p.capture({ transactionId: transactionId!, amount: 5000, idempotencyKey: key() })).status, 'failed');
    assert.equal((await p.void({ transactionId: transactionId!, idempotencyKey: key() })).status, 'failed');
    assert.equal((await p.refund({ transactionId: transactionId!, amount: 1, currency: 'USD', idempotencyKey: key() })).status, 'failed');
  });

  test('refunds over the authorized amount are refused', async () => {
    const p = sandbox();
    const { transactionId } = await authorize(p, card('4242424242424242'), 5000);
    const id = transactionId!;
    await p.capture({ transactionId: id, amount: 5000, idempotencyKey: key() });
    assert.equal((await p.refund({ transactionId: id, amount: 3000, currency: 'USD', idempotencyKey: key() })).status, 'succeeded');
    const over = await p.refund({ transactionId: id, amount: 2001, currency: 'USD', idempotencyKey: key() });
    assert.equal(over.status, 'failed');
    assert.equal(over.status === 'failed' && over.retryable, false);
    assert.equal((await p.refund({ transactionId: id, amount: 2000, currency: 'USD', idempotencyKey: key() })).status, 'succeeded');
    assert.equal((await p.refund({ transactionId: id, amount: 1, currency: 'USD', idempotencyKey: key() })).status, 'failed');
  });

  test('a partial capture limits refunds to what was captured', async () => {
    const p = sandbox();
    const { transactionId } = await authorize(p, card('4242424242424242'), 5000);
    await p.capture({ transactionId: transactionId!, amount: 4000, idempotencyKey: key() });
    assert.equal((await p.refund({ transactionId: transactionId!, amount: 4001, currency: 'USD', idempotencyKey: key() })).status, 'failed');
  });

  test('refund in another currency is refused', async () => {
    const p = sandbox();
    const { transactionId } = await authorize(p, card('4242424242424242'), 5000);
    const r = await p.refund({ transactionId: transactionId!, amount: 100, currency: 'EUR', idempotencyKey: key() });
    assert.equal(r.status, 'failed');
  });

  test('operations on a sandbox transaction this instance does not know are accepted', async () => {
    const other = sandbox();
    const { transactionId } = await authorize(other, card('4242424242424242'), 5000);
    const p = sandbox();
    assert.equal((await p.refund({ transactionId: transactionId!, amount: 999_999, currency: 'USD', idempotencyKey: key() })).status, 'succeeded');
    assert.equal((await p.capture({ transactionId: transactionId!, amount: 5000, idempotencyKey: key() })).status, 'captured');
    const bogus = await p.refund({ transactionId: 'ch_not_ours', amount: 1, currency: 'USD', idempotencyKey: key() });
    assert.equal(bogus.status === 'failed' && bogus.retryable, false);
  });
});

describe('sandbox provider: failure injection', () => {
  test('opts.failNextRefunds fails the next n refunds as retryable', async () => {
    const p = sandbox({ failNextRefunds: 2 });
    const { transactionId } = await authorize(p, card('4242424242424242'), 5000);
    const k = key();
    const refund = () => p.refund({ transactionId: transactionId!, amount: 5000, currency: 'USD', idempotencyKey: k });
    assert.deepEqual(await refund(), { status: 'failed', retryable: true, message: 'Sandbox: simulated processor outage' });
    assert.deepEqual(await refund(), { status: 'failed', retryable: true, message: 'Sandbox: simulated processor outage' });
    // A retry with the same key succeeds once the outage is over, and refunds once.
    const ok = await refund();
    assert.equal(ok.status, 'succeeded');
    assert.equal(await refund(), ok);
  });

  test('sandbox.failRefunds(n) at runtime', async () => {
    const p = sandbox();
    const { transactionId } = await authorize(p, card('4242424242424242'), 5000);
    p.failRefunds(1);
    const first = await p.refund({ transactionId: transactionId!, amount: 100, currency: 'USD', idempotencyKey: key() });
    assert.equal(first.status === 'failed' && first.retryable, true);
    const second = await p.refund({ transactionId: transactionId!, amount: 100, currency: 'USD', idempotencyKey: key() });
    assert.equal(second.status, 'succeeded');
  });
});

describe('sandbox provider: webhooks', () => {
  test('parses known events, ignores the rest', async () => {
    const p = sandbox();
    assert.deepEqual(
      await p.handleWebhook({ rawBody: Buffer.from(JSON.stringify({ type: 'refund.succeeded', transactionId: 'sbx_ch_x', refundId: 'sbx_re_y', amount: 500 })), headers: {} }),
      { type: 'refund.succeeded', transactionId: 'sbx_ch_x', refundId: 'sbx_re_y', amount: 500 },
    );
    assert.deepEqual(await p.handleWebhook({ rawBody: '{"type":"payment.captured","transactionId":"sbx_ch_x"}', headers: {} }), {
      type: 'payment.captured',
      transactionId: 'sbx_ch_x',
    });
    assert.equal(await p.handleWebhook({ rawBody: 'not json', headers: {} }), null);
    assert.equal(await p.handleWebhook({ rawBody: '{"type":"customer.created","transactionId":"x"}', headers: {} }), null);
    assert.equal(await p.handleWebhook({ rawBody: '{"type":"payment.captured"}', headers: {} }), null);
    assert.equal(await p.handleWebhook({ rawBody: 'null', headers: {} }), null);
  });
});

describe('payment registry', () => {
  test('finds providers by name and lists them', () => {
    const a = createSandboxProvider();
    const b = createSandboxProvider({ name: 'sandbox-2' });
    const registry = createPaymentRegistry([a, b]);
    assert.equal(registry.get('sandbox'), a);
    assert.equal(registry.get('sandbox-2'), b);
    assert.deepEqual(registry.names(), ['sandbox', 'sandbox-2']);
  });

  test('unknown provider is a validation error on payment.provider', () => {
    const registry = createPaymentRegistry([createSandboxProvider()]);
    assert.throws(
      () => registry.get('paypal'),
      (err: unknown) =>
        err instanceof DomainError &&
        err.code === 'validation_failed' &&
        (err.details as { fields: Record<string, string> }).fields['payment.provider'] === 'Unknown payment provider',
    );
  });

  test('duplicate names are rejected', () => {
    assert.throws(() => createPaymentRegistry([createSandboxProvider(), createSandboxProvider()]));
  });
});
