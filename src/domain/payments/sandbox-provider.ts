// A card processor that runs inside the process, for development, demos and tests.
// It behaves like a real one with the well-known test cards:
//
//   4242 4242 4242 4242  authorized            4000 0000 0000 0119  failed (processing_error)
//   4000 0000 0000 0002  declined card_declined        4000 0000 0000 0069  declined expired_card
//   4000 0000 0000 9995  declined insufficient_funds   4000 0000 0000 0127  declined incorrect_cvc
//
// Any other Luhn-valid number of a known brand (5555 5555 5555 4444, 3782 822463 10005, ...)
// is authorized; a number failing Luhn is declined `incorrect_number`.
//
// State (transactions, idempotency results) lives in bounded in-process Maps. Another instance
// of the app has its own, so operations on a well-formed sandbox transaction id this instance
// does not know are accepted, as the processor "remembers" it elsewhere.
import { randomInt } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { DomainError } from '../shared/errors.ts';
import { systemClock, type Clock } from '../shared/clock.ts';
import {
  cardBrand,
  cardExpired,
  cardNumberValid,
  cvcLength,
  normalizeCardNumber,
  summarizeCard,
  type AuthorizeResult,
  type CaptureResult,
  type DeclineCode,
  type PaymentProvider,
  type ProviderEvent,
  type RefundResult,
  type VoidResult,
} from './provider.ts';

export type SandboxOptions = {
  /** Provider name (default "sandbox"). */
  name?: string;
  /** Simulated network delay per call, in ms (default 0). */
  latencyMs?: number;
  /** The next n refunds fail as a retryable processor outage. */
  failNextRefunds?: number;
  /** Decides whether a card has expired (default: system clock). */
  clock?: Clock;
  /** Most transactions and idempotent results kept in memory; oldest are forgotten first (default 10 000). */
  maxEntries?: number;
};

export interface SandboxProvider extends PaymentProvider {
  /** Test hook: the next `n` refunds fail with a retryable "simulated processor outage". */
  failRefunds(n: number): void;
}

type Transaction = {
  status: 'authorized' | 'captured' | 'voided' | 'declined' | 'failed';
  amount: number;
  currency: string;
  captured: number;
  refunded: number;
};

const MESSAGES: Record<DeclineCode, string> = {
  card_declined: 'Your card was declined.',
  insufficient_funds: 'Your card has insufficient funds.',
  expired_card: 'Your card has expired.',
  incorrect_cvc: "Your card's security code is incorrect.",
  incorrect_number: 'Your card number is incorrect.',
};

const PROCESSING_ERROR = 'An error occurred while processing your card. Try again in a little while.';

/** Test card numbers with a fixed outcome. */
const TEST_CARDS: Record<string, DeclineCode | 'processing_error'> = {
  '4000000000000002': 'card_declined',
  '4000000000009995': 'insufficient_funds',
  '4000000000000119': 'processing_error',
  '4000000000000069': 'expired_card',
  '4000000000000127': 'incorrect_cvc',
};

const EVENT_TYPES = new Set<ProviderEvent['type']>(['payment.captured', 'payment.voided', 'refund.succeeded', 'refund.failed']);

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const randomBase62 = (length: number) => Array.from({ length }, () => BASE62[randomInt(62)]).join('');
const TRANSACTION_ID = /^sbx_ch_[0-9A-Za-z]{24}$/;

/** A Map that forgets its oldest entries beyond `max`. */
class BoundedMap<K, V> extends Map<K, V> {
  constructor(private readonly max: number) {
    super();
  }
  override set(key: K, value: V): this {
    if (this.has(key)) this.delete(key);
    super.set(key, value);
    while (this.size > this.max) this.delete(this.keys().next().value as K);
    return this;
  }
}

const isPositiveCents = (n: unknown): n is number => Number.isSafeInteger(n) && (n as number) > 0;

export function createSandboxProvider(opts: SandboxOptions = {}): SandboxProvider {
  const name = opts.name ?? 'sandbox';
  const latencyMs = Math.max(0, opts.latencyMs ?? 0);
  const clock = opts.clock ?? systemClock;
  const maxEntries = Math.max(1, opts.maxEntries ?? 10_000);
  let failNextRefunds = Math.max(0, Math.floor(opts.failNextRefunds ?? 0));

  const transactions = new BoundedMap<string, Transaction>(maxEntries);
  // Keyed "operation:idempotencyKey". Holds the promise, so concurrent retries share one outcome.
  const results = new BoundedMap<string, Promise<unknown>>(maxEntries);

  const delay = () => (latencyMs > 0 ? sleep(latencyMs) : Promise.resolve());

  /**
   * Runs `op` once per (operation, idempotency key) and hands every caller the same result.
   * Results `shouldForget` says are transient (simulated outages) are not kept, so a retry with
   * the same key gets another chance, as with a real processor that never saw the request.
   */
  function once<T>(operation: string, idempotencyKey: string, op: () => T, shouldForget?: (r: T) => boolean): Promise<T> {
    if (typeof idempotencyKey !== 'string' || idempotencyKey.length === 0) {
      throw new DomainError('bad_request', 'An idempotency key is required for every payment operation.');
    }
    const key = `${operation}:${idempotencyKey}`;
    const existing = results.get(key);
    if (existing) return existing as Promise<T>;
    const promise = delay().then(op);
    results.set(key, promise);
    promise.then(
      (r) => {
        if (shouldForget?.(r) && results.get(key) === promise) results.delete(key);
      },
      () => {
        if (results.get(key) === promise) results.delete(key);
      },
    );
    return promise;
  }

  function authorizeNow(input: Parameters<PaymentProvider['authorize']>[0]): AuthorizeResult {
    const currency = input.currency.toUpperCase();
    const card = summarizeCard(input.card);
    const number = normalizeCardNumber(input.card.number);
    const transactionId = `sbx_ch_${randomBase62(24)}`;
    const remember = (status: Transaction['status']) =>
      transactions.set(transactionId, { status, amount: input.amount, currency, captured: 0, refunded: 0 });
    const decline = (declineCode: DeclineCode, message = MESSAGES[declineCode]): AuthorizeResult => {
      remember('declined');
      return { status: 'declined', transactionId, card, declineCode, message };
    };

    if (!cardNumberValid(number)) return decline('incorrect_number');
    const brand = cardBrand(number);
    if (brand === 'other') return decline('card_declined', 'Your card is not supported. Try Visa, Mastercard, American Express or Discover.');
    const { expMonth, expYear } = card;
    if (!Number.isInteger(expMonth) || expMonth < 1 || expMonth > 12 || !Number.isInteger(expYear)) {
      return decline('expired_card', "Your card's expiration date is invalid.");
    }
    if (cardExpired(expMonth, expYear, clock.now())) return decline('expired_card');
    if (!new RegExp(`^\\d{${cvcLength(brand)}}$`).test(String(input.card.cvc ?? '').trim())) return decline('incorrect_cvc');

    const outcome = TEST_CARDS[number];
    if (outcome === 'processing_error') {
      remember('failed');
      return { status: 'failed', transactionId, card, declineCode: 'processing_error', message: PROCESSING_ERROR };
    }
    if (outcome) return decline(outcome);

    remember('authorized');
    return { status: 'authorized', transactionId, card };
  }

  function captureNow(input: Parameters<PaymentProvider['capture']>[0]): CaptureResult {
    const tx = transactions.get(input.transactionId);
    if (!isPositiveCents(input.amount)) return { status: 'failed', message: 'The capture amount must be a positive number of cents.' };
    if (!tx) {
      return TRANSACTION_ID.test(input.transactionId) ? { status: 'captured' } : { status: 'failed', message: 'No such payment.' };
    }
    switch (tx.status) {
      case 'captured':
        return { status: 'failed', message: 'This payment has already been captured.' };
      case 'voided':
        return { status: 'failed', message: 'This payment was voided and can no longer be captured.' };
      case 'declined':
      case 'failed':
        return { status: 'failed', message: 'This payment was not authorized.' };
    }
    if (input.amount > tx.amount) return { status: 'failed', message: 'The capture amount exceeds the authorized amount.' };
    tx.status = 'captured';
    tx.captured = input.amount;
    return { status: 'captured' };
  }

  function voidNow(input: Parameters<PaymentProvider['void']>[0]): VoidResult {
    const tx = transactions.get(input.transactionId);
    if (!tx) {
      return TRANSACTION_ID.test(input.transactionId) ? { status: 'voided' } : { status: 'failed', message: 'No such payment.' };
    }
    switch (tx.status) {
      case 'captured':
        return { status: 'failed', message: 'This payment has been captured; refund it instead.' };
      case 'declined':
      case 'failed':
        return { status: 'failed', message: 'This payment was not authorized.' };
    }
    tx.status = 'voided';
    return { status: 'voided' };
  }

  function refundNow(input: Parameters<PaymentProvider['refund']>[0]): RefundResult {
    if (failNextRefunds > 0) {
      failNextRefunds--;
      return { status: 'failed', retryable: true, message: 'Sandbox: simulated processor outage' };
    }
    const refused = (message: string): RefundResult => ({ status: 'failed', retryable: false, message });
    if (!isPositiveCents(input.amount)) return refused('The refund amount must be a positive number of cents.');
    const succeeded = (): RefundResult => ({ status: 'succeeded', refundId: `sbx_re_${randomBase62(24)}` });
    const tx = transactions.get(input.transactionId);
    if (!tx) return TRANSACTION_ID.test(input.transactionId) ? succeeded() : refused('No such payment.');
    if (tx.status === 'declined' || tx.status === 'failed') return refused('This payment was not authorized; there is nothing to refund.');
    if (tx.status === 'voided') return refused('This payment was voided; there is nothing to refund.');
    if (input.currency.toUpperCase() !== tx.currency) return refused(`The refund currency must be ${tx.currency}, the payment's currency.`);
    const paid = tx.status === 'captured' ? tx.captured : tx.amount;
    if (tx.refunded + input.amount > paid) {
      return refused(`The refund exceeds what is left to refund on this payment (${paid - tx.refunded} of ${paid} cents).`);
    }
    tx.refunded += input.amount;
    return succeeded();
  }

  return {
    name,

    async authorize(input) {
      if (!isPositiveCents(input.amount)) throw new DomainError('bad_request', 'The amount must be a positive number of cents.');
      if (typeof input.currency !== 'string' || !/^[A-Za-z]{3}$/.test(input.currency)) {
        throw new DomainError('bad_request', 'The currency must be a three-letter ISO 4217 code.');
      }
      return once('authorize', input.idempotencyKey, () => authorizeNow(input));
    },

    async capture(input) {
      return once('capture', input.idempotencyKey, () => captureNow(input));
    },

    async void(input) {
      return once('void', input.idempotencyKey, () => voidNow(input));
    },

    async refund(input) {
      return once('refund', input.idempotencyKey, () => refundNow(input), (r) => r.status === 'failed' && r.retryable);
    },

    async handleWebhook({ rawBody }) {
      // The sandbox signs nothing, so there is nothing to verify.
      let body: unknown;
      try {
        body = JSON.parse(typeof rawBody === 'string' ? rawBody : rawBody.toString('utf8'));
      } catch {
        return null;
      }
      if (!body || typeof body !== 'object') return null;
      const { type, transactionId, refundId, amount } = body as Record<string, unknown>;
      if (typeof type !== 'string' || !EVENT_TYPES.has(type as ProviderEvent['type'])) return null;
      if (typeof transactionId !== 'string' || transactionId.length === 0) return null;
      const event: ProviderEvent = { type: type as ProviderEvent['type'], transactionId };
      if (typeof refundId === 'string' && refundId.length > 0) event.refundId = refundId;
      if (Number.isSafeInteger(amount) && (amount as number) >= 0) event.amount = amount as number;
      return event;
    },

    failRefunds(n: number) {
      failNextRefunds = Math.max(0, Math.floor(n));
    },
  };
}
