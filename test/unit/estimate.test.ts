// Processing-end estimates: remaining working time per stage, queue factor, working calendar.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DateTime } from 'luxon';
import { defaultSettings } from '../../src/domain/settings/store-settings.ts';
import { estimateProcessingEnd, type EstimateInput } from '../../src/domain/tracking/estimate.ts';

const H = 3_600_000;
const M = 60_000;
const ny = (iso: string) => DateTime.fromISO(iso, { zone: 'America/New_York' }).toJSDate();
const hours = defaultSettings().serviceHours; // Mon–Fri 9–12, 14–18 ET
const medians = { paid: 1 * H, verified: 1 * H, preparing: 2 * H, packed: 1 * H };
const estimate = (over: Partial<EstimateInput>) =>
  estimateProcessingEnd({
    hours,
    now: ny('2026-03-02T09:00'), // Monday
    status: 'paid',
    enteredStatusAt: ny('2026-03-02T09:00'),
    medianStageMillis: medians,
    ...over,
  });

test('no estimate once the order has left processing', () => {
  for (const status of ['shipped', 'delivered', 'cancelled', 'on_hold', 'something_else']) {
    assert.equal(estimate({ status }), undefined, status);
  }
});

test('a fresh paid order needs all stage medians, placed in working hours', () => {
  // 5 working hours from Monday 9:00: 9–12 (3h) + 14–16 (2h).
  assert.deepEqual(estimate({}), ny('2026-03-02T16:00'));
});

test('working time already spent in the current stage is subtracted', () => {
  // preparing since 9:00, now 10:00: 1h left + packed 1h = 2h → 12:00.
  assert.deepEqual(
    estimate({ status: 'preparing', enteredStatusAt: ny('2026-03-02T09:00'), now: ny('2026-03-02T10:00') }),
    ny('2026-03-02T12:00'),
  );
  // preparing since 11:00, now 14:30: only 1.5 working hours spent (lunch excluded) → 0.5h + 1h → 16:00.
  assert.deepEqual(
    estimate({ status: 'preparing', enteredStatusAt: ny('2026-03-02T11:00'), now: ny('2026-03-02T14:30') }),
    ny('2026-03-02T16:00'),
  );
});

test('an overdue stage still gets the 15-minute minimum', () => {
  // preparing since 9:00 (median 2h), now 15:00 (4h spent): 15min + packed 1h → 16:15.
  assert.deepEqual(
    estimate({ status: 'preparing', enteredStatusAt: ny('2026-03-02T09:00'), now: ny('2026-03-02T15:00') }),
    ny('2026-03-02T16:15'),
  );
  // packed and overdue: just the minimum.
  assert.deepEqual(
    estimate({ status: 'packed', enteredStatusAt: ny('2026-03-02T09:00'), now: ny('2026-03-02T15:00') }),
    ny('2026-03-02T15:15'),
  );
});

test('missing or unusable medians default to 2 working hours per stage', () => {
  // packed, no medians: 2h from 9:00 → 11:00.
  assert.deepEqual(estimate({ status: 'packed', medianStageMillis: {} }), ny('2026-03-02T11:00'));
  // verified: verified default 2h + preparing 2h + packed NaN→2h = 6h → 9–12 + 14–17.
  assert.deepEqual(
    estimate({ status: 'verified', medianStageMillis: { preparing: 2 * H, packed: Number.NaN } }),
    ny('2026-03-02T17:00'),
  );
  // A median of 0 is real (e.g. automatic verification), not missing.
  assert.deepEqual(estimate({ status: 'verified', medianStageMillis: { ...medians, verified: 0 } }), ny('2026-03-02T14:15')); // 15min floor + 3h, across lunch
});

test('queueFactor scales the remaining work; values below 1 count as 1', () => {
  // 5h × 1.5 = 7.5h from Monday 9:00 → 9–12, 14–18 (7h) + 0.5h Tuesday → 9:30.
  assert.deepEqual(estimate({ queueFactor: 1.5 }), ny('2026-03-03T09:30'));
  assert.deepEqual(estimate({ queueFactor: 0.5 }), ny('2026-03-02T16:00'));
  assert.deepEqual(estimate({ queueFactor: Number.NaN }), ny('2026-03-02T16:00'));
});

test('estimates cross the weekend and the DST change in wall-clock terms', () => {
  // Friday 17:00 before spring-forward, packed with 2h median: 1h Friday + 1h Monday → Monday 10:00 EDT.
  const due = estimate({
    status: 'packed',
    now: ny('2026-03-06T17:00'),
    enteredStatusAt: ny('2026-03-06T17:00'),
    medianStageMillis: { packed: 2 * H },
  });
  assert.deepEqual(due, ny('2026-03-09T10:00'));
  assert.equal(due?.toISOString(), '2026-03-09T14:00:00.000Z');
  // Time spent over the weekend does not count: entered Friday 17:30, now Monday 9:00 = 30 working minutes.
  assert.deepEqual(
    estimate({
      status: 'packed',
      now: ny('2026-11-02T09:00'),
      enteredStatusAt: ny('2026-10-30T17:30'),
      medianStageMillis: { packed: 90 * M },
    }),
    ny('2026-11-02T10:00'),
  );
});

test('an order that arrives outside hours starts counting at the next opening', () => {
  assert.deepEqual(
    estimate({ now: ny('2026-03-07T11:00'), enteredStatusAt: ny('2026-03-07T11:00') }), // Saturday
    ny('2026-03-09T16:00'),
  );
});
