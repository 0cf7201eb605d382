// Unit tests: the sandbox page's card checks, and the provider registry.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { cardBrand, luhnValid, normalizeCardNumber, validateCard, summarizeCard, type CardInput } from '../../src/domain/payments/sandbox-cards.ts';
import { createPaymentRegistry } from '../../src/domain/payments/registry.ts';
import type { PaymentProvider } from '../../src/domain/payments/provider.ts';
import { DomainError } from '../../src/domain/shared/errors.ts';

const NOW = new Date('2026-05-15T12:00:00Z');
const card = (number: string, extra: Partial<CardInput> = {}): CardInput => ({ number, expMonth: 12, expYear: 2030, cvc: '123', ...extra });
/** Just a name: the registry never calls a provider. */
const provider = (name: string) => ({ name }) as PaymentProvider;

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


describe('payment registry', () => {
  test('finds providers by name and lists them', () => {
    const a = provider('stripe');
    const b = provider('sandbox');
    const registry = createPaymentRegistry([a, b]);
    assert.equal(registry.get('stripe'), a);
    assert.equal(registry.get('sandbox'), b);
    assert.deepEqual(registry.names(), ['stripe', 'sandbox']);
    assert.equal(registry.defaultName, 'stripe', 'the first registered is the storefront\'s');
  });

  test('unknown provider is a validation error on payment.provider', () => {
    const registry = createPaymentRegistry([provider('sandbox')]);
    assert.throws(
      () => registry.get('paypal'),
      (err: unknown) =>
        err instanceof DomainError &&
        err.code === 'validation_failed' &&
        (err.details as { fields: Record<string, string> }).fields['payment.provider'] === 'Unknown payment provider',
    );
  });

  test('duplicate names are rejected', () => {
    assert.throws(() => createPaymentRegistry([provider('sandbox'), provider('sandbox')]));
    assert.throws(() => createPaymentRegistry([]));
  });
});
