// Outbox retry timing and message identity: pure functions, no database.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { outboxMessageId, retryDelayMs } from '../../src/jobs/outbox-worker.ts';
import { mailFileName } from '../../src/domain/notifications/mailer.ts';

const middle = () => 0.5; // no jitter
const low = () => 0;
const high = () => 0.999_999;

test('the wait doubles from 30 seconds after each failed attempt', () => {
  assert.deepEqual(
    [1, 2, 3, 4, 5, 6, 7].map((n) => retryDelayMs(n, middle)),
    [30_000, 60_000, 120_000, 240_000, 480_000, 960_000, 1_920_000],
  );
});

test('the wait is capped at one hour, however many attempts failed', () => {
  assert.equal(retryDelayMs(8, middle), 3_600_000);
  assert.equal(retryDelayMs(50, middle), 3_600_000);
  assert.equal(retryDelayMs(10_000, middle), 3_600_000, 'no overflow to Infinity or NaN');
});

test('jitter spreads the wait by 20 % either way', () => {
  assert.equal(retryDelayMs(1, low), 24_000);
  assert.ok(Math.abs(retryDelayMs(1, high) - 36_000) <= 1);
  assert.equal(retryDelayMs(20, low), 2_880_000);
  assert.ok(Math.abs(retryDelayMs(20, high) - 4_320_000) <= 1);
  for (let i = 0; i < 1_000; i++) {
    const d = retryDelayMs(3);
    assert.ok(d >= 96_000 && d <= 144_000, `${d} outside 120 s ± 20 %`);
  }
});

test('a zero or negative attempt count waits the base time', () => {
  assert.equal(retryDelayMs(0, middle), 30_000);
});

test('the Message-ID comes from the outbox row and the shop host, the same on every attempt', () => {
  assert.equal(outboxMessageId(42, 'https://shop.casanovaspace.com'), '<outbox-42@shop.casanovaspace.com>');
  assert.equal(outboxMessageId(42, 'https://shop.casanovaspace.com:8443/base/'), '<outbox-42@shop.casanovaspace.com>');
  assert.equal(outboxMessageId(7, 'http://[::1]:3000'), '<outbox-7@casanova.invalid>');
  assert.equal(outboxMessageId(7, 'not a url'), '<outbox-7@casanova.invalid>');
});

test('mail files are named after the Message-ID, with nothing that could leave the folder', () => {
  assert.equal(mailFileName('<outbox-42@shop.casanovaspace.com>'), 'outbox-42.eml');
  assert.equal(mailFileName('<../../etc/passwd@x>'), 'etc_passwd.eml');
  assert.equal(mailFileName('<@x>'), 'message.eml');
});
