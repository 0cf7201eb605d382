// Service-hours math: open/closed edges, lunch, weekends, holidays, DST, due times, labels.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DateTime } from 'luxon';
import { defaultSettings } from '../../src/domain/settings/store-settings.ts';
import {
  addServiceHours,
  currentInterval,
  describeWeeklyHours,
  isOpen,
  nextOpening,
  openStatus,
  serviceMillisBetween,
  type ServiceHours,
} from '../../src/domain/support/service-hours.ts';

const H = 3_600_000;
const base = (): ServiceHours => defaultSettings().serviceHours;
const withHours = (patch: Partial<ServiceHours>): ServiceHours => ({ ...base(), ...patch });
/** Wall-clock time in New York → Date. */
const ny = (iso: string) => DateTime.fromISO(iso, { zone: 'America/New_York' }).toJSDate();
const label = (hours: ServiceHours, iso: string) => openStatus(hours, ny(iso)).label;

// 2026-03-02 is a Monday; 2026-03-08 and 2026-11-01 are the US DST Sundays.

test('opening and closing edges: 9:00 open, 12:00 closed, 18:00 closed', () => {
  const h = base();
  assert.equal(isOpen(h, ny('2026-03-02T08:59:59')), false);
  assert.equal(isOpen(h, ny('2026-03-02T09:00')), true);
  assert.equal(isOpen(h, ny('2026-03-02T11:59:59.999')), true);
  assert.equal(isOpen(h, ny('2026-03-02T12:00')), false);
  assert.equal(isOpen(h, ny('2026-03-02T13:59')), false);
  assert.equal(isOpen(h, ny('2026-03-02T14:00')), true);
  assert.equal(isOpen(h, ny('2026-03-02T17:59')), true);
  assert.equal(isOpen(h, ny('2026-03-02T18:00')), false);
});

test('weekends and holidays are closed', () => {
  const h = withHours({ holidays: ['2026-07-03'] });
  assert.equal(isOpen(h, ny('2026-03-07T10:00')), false); // Saturday
  assert.equal(isOpen(h, ny('2026-03-08T10:00')), false); // Sunday
  assert.equal(isOpen(h, ny('2026-07-03T10:00')), false); // Friday holiday
  assert.equal(isOpen(h, ny('2026-07-02T10:00')), true);
});

test('currentInterval gives the surrounding open interval', () => {
  const h = base();
  assert.deepEqual(currentInterval(h, ny('2026-03-02T10:30')), { start: ny('2026-03-02T09:00'), end: ny('2026-03-02T12:00') });
  assert.deepEqual(currentInterval(h, ny('2026-03-02T14:00')), { start: ny('2026-03-02T14:00'), end: ny('2026-03-02T18:00') });
  assert.equal(currentInterval(h, ny('2026-03-02T12:00')), undefined);
});

test('touching intervals merge into one', () => {
  const h = withHours({ weekly: { '1': [{ start: '09:00', end: '12:00' }, { start: '12:00', end: '18:00' }] } });
  assert.equal(isOpen(h, ny('2026-03-02T12:00')), true);
  assert.deepEqual(currentInterval(h, ny('2026-03-02T12:00')), { start: ny('2026-03-02T09:00'), end: ny('2026-03-02T18:00') });
});

test('nextOpening skips lunch, nights, weekends and holidays', () => {
  const h = withHours({ holidays: ['2026-07-03'] });
  assert.deepEqual(nextOpening(h, ny('2026-03-02T12:30')), ny('2026-03-02T14:00')); // lunch
  assert.deepEqual(nextOpening(h, ny('2026-03-02T10:00')), ny('2026-03-02T14:00')); // open: next interval
  assert.deepEqual(nextOpening(h, ny('2026-03-02T07:00')), ny('2026-03-02T09:00'));
  assert.deepEqual(nextOpening(h, ny('2026-03-02T18:00')), ny('2026-03-03T09:00')); // night
  assert.deepEqual(nextOpening(h, ny('2026-03-06T18:00')), ny('2026-03-09T09:00')); // weekend (DST)
  assert.deepEqual(nextOpening(h, ny('2026-07-02T18:00')), ny('2026-07-06T09:00')); // holiday + weekend
});

test('nextOpening is undefined when nothing opens within ~60 days', () => {
  assert.equal(nextOpening(withHours({ weekly: {} }), ny('2026-03-02T10:00')), undefined);
  const days: string[] = [];
  for (let d = DateTime.fromISO('2026-03-01'); d < DateTime.fromISO('2026-06-01'); d = d.plus({ days: 1 })) days.push(d.toISODate()!);
  assert.equal(nextOpening(withHours({ holidays: days }), ny('2026-03-02T10:00')), undefined);
});

test('DST: wall-clock opening times hold on both sides of the change', () => {
  const h = base();
  // Spring forward: Monday 2026-03-09 9:00 is EDT (13:00Z), Friday before is EST (14:00Z).
  assert.equal(nextOpening(h, ny('2026-03-06T18:00'))!.toISOString(), '2026-03-09T13:00:00.000Z');
  assert.equal(nextOpening(h, ny('2026-03-05T18:00'))!.toISOString(), '2026-03-06T14:00:00.000Z');
  // Fall back: Monday 2026-11-02 9:00 is EST (14:00Z).
  assert.equal(nextOpening(h, ny('2026-10-30T18:00'))!.toISOString(), '2026-11-02T14:00:00.000Z');
  assert.equal(isOpen(h, new Date('2026-03-09T13:00:00Z')), true);
  assert.equal(isOpen(h, new Date('2026-03-09T12:59:59Z')), false);
  assert.equal(isOpen(h, new Date('2026-11-02T14:00:00Z')), true);
  assert.equal(isOpen(h, new Date('2026-11-02T13:30:00Z')), false);
});

test('DST: an interval that contains the change counts real elapsed time', () => {
  const h = withHours({ weekly: { '7': [{ start: '01:00', end: '04:00' }] } });
  // 1:00–4:00 on the spring-forward Sunday is 2 real hours, on the fall-back Sunday 4.
  assert.equal(serviceMillisBetween(h, ny('2026-03-08T00:00'), ny('2026-03-08T12:00')), 2 * H);
  assert.equal(serviceMillisBetween(h, ny('2026-11-01T00:00'), ny('2026-11-01T12:00')), 4 * H);
  assert.deepEqual(addServiceHours(h, ny('2026-11-01T00:00'), 3.5), ny('2026-11-01T03:30'));
  // An opening inside the spring-forward gap (2:30 does not exist) moves to 3:30 EDT.
  const gap = withHours({ weekly: { '7': [{ start: '02:30', end: '05:00' }] } });
  assert.equal(nextOpening(gap, ny('2026-03-08T00:00'))!.toISOString(), '2026-03-08T07:30:00.000Z');
});

test('addServiceHours: due times within a day, across lunch, across days and weekends', () => {
  const h = base();
  assert.deepEqual(addServiceHours(h, ny('2026-03-02T09:00'), 2), ny('2026-03-02T11:00'));
  assert.deepEqual(addServiceHours(h, ny('2026-03-02T11:00'), 2), ny('2026-03-02T15:00')); // lunch
  assert.deepEqual(addServiceHours(h, ny('2026-03-02T12:30'), 1), ny('2026-03-02T15:00')); // starts closed
  assert.deepEqual(addServiceHours(h, ny('2026-03-02T17:00'), 4), ny('2026-03-03T12:00')); // next day
  assert.deepEqual(addServiceHours(h, ny('2026-03-02T17:00'), 1), ny('2026-03-02T18:00')); // exactly at close
  assert.deepEqual(addServiceHours(h, ny('2026-03-07T10:00'), 1), ny('2026-03-09T10:00')); // weekend start
  assert.deepEqual(addServiceHours(h, ny('2026-03-02T10:00'), 0), ny('2026-03-02T10:00'));
  assert.deepEqual(addServiceHours(h, ny('2026-03-02T09:00'), 14), ny('2026-03-03T18:00')); // two full 7h days
  assert.deepEqual(addServiceHours(h, ny('2026-03-02T09:00'), 35.5), ny('2026-03-09T09:30')); // a whole week
});

test('addServiceHours: Friday 17:00 + 4h is Monday 12:00 wall clock, across both DST weekends', () => {
  const h = base();
  assert.deepEqual(addServiceHours(h, ny('2026-02-27T17:00'), 4), ny('2026-03-02T12:00'));
  assert.deepEqual(addServiceHours(h, ny('2026-03-06T17:00'), 4), ny('2026-03-09T12:00'));
  assert.equal(addServiceHours(h, ny('2026-03-06T17:00'), 4).toISOString(), '2026-03-09T16:00:00.000Z');
  assert.deepEqual(addServiceHours(h, ny('2026-10-30T17:00'), 4), ny('2026-11-02T12:00'));
  assert.equal(addServiceHours(h, ny('2026-10-30T17:00'), 4).toISOString(), '2026-11-02T17:00:00.000Z');
});

test('addServiceHours skips holidays', () => {
  const h = withHours({ holidays: ['2026-07-03'] });
  // Thursday 17:00: 1h Thursday, Friday is a holiday, 3h Monday.
  assert.deepEqual(addServiceHours(h, ny('2026-07-02T17:00'), 4), ny('2026-07-06T12:00'));
});

test('addServiceHours falls back to clock time when the schedule never opens', () => {
  assert.deepEqual(addServiceHours(withHours({ weekly: {} }), ny('2026-03-02T10:00'), 2), ny('2026-03-02T12:00'));
});

test('serviceMillisBetween counts only open time', () => {
  const h = withHours({ holidays: ['2026-07-03'] });
  assert.equal(serviceMillisBetween(h, ny('2026-03-02T10:00'), ny('2026-03-02T11:30')), 1.5 * H);
  assert.equal(serviceMillisBetween(h, ny('2026-03-02T11:00'), ny('2026-03-02T15:00')), 2 * H); // lunch
  assert.equal(serviceMillisBetween(h, ny('2026-03-02T00:00'), ny('2026-03-03T00:00')), 7 * H);
  assert.equal(serviceMillisBetween(h, ny('2026-03-07T00:00'), ny('2026-03-09T00:00')), 0); // weekend
  // Friday 10:00 → Monday 10:00 across the spring-forward weekend: 6h + 1h.
  assert.equal(serviceMillisBetween(h, ny('2026-03-06T10:00'), ny('2026-03-09T10:00')), 7 * H);
  assert.equal(serviceMillisBetween(h, ny('2026-10-30T10:00'), ny('2026-11-02T10:00')), 7 * H);
  assert.equal(serviceMillisBetween(h, ny('2026-07-02T17:00'), ny('2026-07-06T10:00')), 2 * H); // holiday
  assert.equal(serviceMillisBetween(h, ny('2026-03-02T11:00'), ny('2026-03-02T10:00')), 0); // reversed
  assert.equal(serviceMillisBetween(h, ny('2026-03-02T10:00'), ny('2026-03-02T10:00')), 0);
});

test('serviceMillisBetween and addServiceHours agree', () => {
  const h = base();
  for (const [start, n] of [['2026-03-05T16:30', 9.25], ['2026-10-29T08:00', 20], ['2026-03-06T11:45', 0.5]] as const) {
    const due = addServiceHours(h, ny(start), n);
    assert.equal(serviceMillisBetween(h, ny(start), due), n * H);
  }
});

test('openStatus labels', () => {
  const h = withHours({ holidays: ['2026-07-03'] });
  assert.deepEqual(openStatus(h, ny('2026-03-02T10:00')), { open: true, label: 'Open now — until 12:00 ET' });
  assert.equal(label(h, '2026-03-02T09:00'), 'Open now — until 12:00 ET');
  assert.equal(label(h, '2026-03-02T15:00'), 'Open now — until 18:00 ET');
  assert.deepEqual(openStatus(h, ny('2026-03-02T12:00')), { open: false, label: 'Closed — opens today 14:00 ET' });
  assert.equal(label(h, '2026-03-02T07:30'), 'Closed — opens today 9:00 ET');
  assert.equal(label(h, '2026-03-02T18:00'), 'Closed — opens tomorrow 9:00 ET');
  assert.equal(label(h, '2026-03-02T23:59'), 'Closed — opens tomorrow 9:00 ET');
  assert.equal(label(h, '2026-03-06T18:00'), 'Closed — opens Monday 9:00 ET'); // Friday evening (DST weekend)
  assert.equal(label(h, '2026-03-07T10:00'), 'Closed — opens Monday 9:00 ET'); // Saturday
  assert.equal(label(h, '2026-03-08T10:00'), 'Closed — opens tomorrow 9:00 ET'); // DST Sunday (23h day)
  assert.equal(label(h, '2026-11-01T10:00'), 'Closed — opens tomorrow 9:00 ET'); // DST Sunday (25h day)
  assert.equal(label(h, '2026-07-02T18:00'), 'Closed — opens Monday 9:00 ET'); // before the holiday
});

test('openStatus: long closures name the date, empty schedules just say Closed', () => {
  const days: string[] = [];
  for (let d = DateTime.fromISO('2026-03-02'); d <= DateTime.fromISO('2026-03-13'); d = d.plus({ days: 1 })) days.push(d.toISODate()!);
  assert.equal(label(withHours({ holidays: days }), '2026-03-02T10:00'), 'Closed — opens Monday, March 16 9:00 ET');
  assert.deepEqual(openStatus(withHours({ weekly: {} }), ny('2026-03-02T10:00')), { open: false, label: 'Closed' });
});

test('openStatus uses the shop time zone and its short name', () => {
  const chicago = withHours({ timeZone: 'America/Chicago' });
  // 10:30 in New York is 9:30 in Chicago: open until 12:00 CT.
  assert.equal(label(chicago, '2026-03-02T10:30'), 'Open now — until 12:00 CT');
  assert.equal(label(chicago, '2026-03-02T09:30'), 'Closed — opens today 9:00 CT');
  assert.equal(label(withHours({ timeZone: 'America/Los_Angeles' }), '2026-03-02T11:00'), 'Closed — opens today 9:00 PT');
  assert.equal(label(withHours({ timeZone: 'America/Denver' }), '2026-03-02T12:00'), 'Open now — until 12:00 MT');
  assert.equal(label(withHours({ timeZone: 'Europe/Paris' }), '2026-03-02T13:00'), 'Closed — opens tomorrow 9:00 GMT+1');
});

test('describeWeeklyHours groups days with the same hours', () => {
  assert.deepEqual(describeWeeklyHours(base()), ['Monday–Friday: 9:00–12:00 and 14:00–18:00', 'Saturday–Sunday: closed']);
  const mixed = withHours({
    weekly: {
      '1': [{ start: '09:00', end: '17:00' }],
      '2': [{ start: '09:00', end: '17:00' }],
      '3': [{ start: '14:00', end: '18:00' }, { start: '09:00', end: '12:00' }],
      '5': [{ start: '08:00', end: '10:00' }, { start: '11:00', end: '12:00' }, { start: '13:00', end: '00:00' }],
      '6': [{ start: '10:00', end: '14:00' }],
    },
  });
  assert.deepEqual(describeWeeklyHours(mixed), [
    'Monday–Tuesday: 9:00–17:00',
    'Wednesday: 9:00–12:00 and 14:00–18:00',
    'Thursday: closed',
    'Friday: 8:00–10:00, 11:00–12:00 and 13:00–24:00',
    'Saturday: 10:00–14:00',
    'Sunday: closed',
  ]);
});
