// Working-hours arithmetic for customer service and the warehouse: is the shop open,
// when does it open next, and how much *working* time lies between two instants.
// All wall-clock math happens in the shop's time zone through luxon, so DST changes
// (a 23- or 25-hour day) never shift an opening by an hour. Pure: no I/O, no clock.
import { DateTime, IANAZone } from 'luxon';
import type { StoreSettings } from '../settings/store-settings.ts';

export type ServiceHours = StoreSettings['serviceHours'];

/** One open stretch of time, [start, end): `start` is open, `end` is already closed. */
export type OpenInterval = { start: Date; end: Date };

const HOUR_MS = 3_600_000;
const DEFAULT_ZONE = 'America/New_York';
/** How far ahead `nextOpening` / `openStatus` look before giving up. */
const SEARCH_DAYS = 62;
/** Unbounded walks stop after this many consecutive days without any open time. */
const MAX_CLOSED_DAYS = 62;

const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

/** US zones get the short generic name customers know ("ET", not "EST"/"EDT"). */
const ZONE_ABBREVIATIONS: Record<string, string> = {
  'America/New_York': 'ET',
  'America/Detroit': 'ET',
  'America/Indiana/Indianapolis': 'ET',
  'America/Chicago': 'CT',
  'America/Denver': 'MT',
  'America/Boise': 'MT',
  'America/Phoenix': 'MT',
  'America/Los_Angeles': 'PT',
};

type Span = { start: number; end: number }; // epoch ms, [start, end)

// An unknown zone would make every DateTime invalid (NaN), so fall back to the default.
function zoneOf(hours: ServiceHours): string {
  return IANAZone.isValidZone(hours.timeZone) ? hours.timeZone : DEFAULT_ZONE;
}

// "HH:MM" → minutes after midnight.
function minutesOf(hhmm: string): number {
  const [h, m] = hhmm.split(':');
  return Number(h) * 60 + Number(m);
}

// Open spans of one local calendar day (`day` is its start of day), sorted; none on holidays.
function daySpans(hours: ServiceHours, day: DateTime, holidays: ReadonlySet<string>): Span[] {
  if (holidays.has(day.toISODate() ?? '')) return [];
  const slots = hours.weekly[String(day.weekday)] ?? [];
  const spans: Span[] = [];
  for (const slot of slots) {
    const s = minutesOf(slot.start);
    const e = minutesOf(slot.end);
    // Built from wall-clock fields, so a DST day still opens at 9:00 local; a time inside
    // the spring-forward gap is moved forward by luxon. An end of "00:00" means midnight.
    const start = day.set({ hour: Math.floor(s / 60), minute: s % 60 }).toMillis();
    const end =
      e === 0 ? day.plus({ days: 1 }).toMillis() : day.set({ hour: Math.floor(e / 60), minute: e % 60 }).toMillis();
    if (end > start) spans.push({ start, end });
  }
  return spans.sort((a, b) => a.start - b.start);
}

/**
 * Merged open spans from the local day before `fromMs` onwards (the day before, so a span
 * running through midnight is seen whole). Stops after `toMs` when given; otherwise after
 * MAX_CLOSED_DAYS days in a row without open time (a schedule that never opens).
 */
function* spans(hours: ServiceHours, fromMs: number, toMs?: number, maxDays?: number): Generator<Span> {
  const zone = zoneOf(hours);
  const holidays = new Set(hours.holidays);
  let day = DateTime.fromMillis(fromMs, { zone }).startOf('day').minus({ days: 1 });
  let pending: Span | undefined;
  let closedRun = 0;
  for (let n = 0; maxDays === undefined || n <= maxDays + 1; n++) {
    if (toMs !== undefined && day.toMillis() > toMs) break;
    const today = daySpans(hours, day, holidays);
    if (today.length === 0) {
      if (toMs === undefined && ++closedRun > MAX_CLOSED_DAYS) break;
    } else closedRun = 0;
    for (const s of today) {
      // Touching or overlapping spans (09:00–12:00 + 12:00–18:00, or across midnight) are one.
      if (pending && s.start <= pending.end) pending.end = Math.max(pending.end, s.end);
      else {
        if (pending && pending.end > fromMs) yield pending;
        pending = { ...s };
      }
    }
    day = day.plus({ days: 1 });
  }
  if (pending && pending.end > fromMs) yield pending;
}

// The open span containing `ms`, if any.
function spanAt(hours: ServiceHours, ms: number): Span | undefined {
  for (const s of spans(hours, ms, undefined, 3)) {
    if (s.start > ms) return undefined;
    if (ms < s.end) return s;
  }
  return undefined;
}

/** Whether the shop is open at `at` (9:00 is open, 12:00 closing time is already closed). */
export function isOpen(hours: ServiceHours, at: Date): boolean {
  return spanAt(hours, at.getTime()) !== undefined;
}

/** The open interval `at` falls in (touching intervals merged), or undefined when closed. */
export function currentInterval(hours: ServiceHours, at: Date): OpenInterval | undefined {
  const s = spanAt(hours, at.getTime());
  return s && { start: new Date(s.start), end: new Date(s.end) };
}

/**
 * The next moment the shop opens after `at`, skipping lunch breaks, closed weekdays and
 * holidays. When open now, that is the start of the *next* interval (e.g. 14:00 after
 * lunch). Undefined when nothing opens within ~60 days (e.g. an empty schedule).
 */
export function nextOpening(hours: ServiceHours, at: Date): Date | undefined {
  const ms = at.getTime();
  for (const s of spans(hours, ms, undefined, SEARCH_DAYS)) {
    if (s.start > ms) return new Date(s.start);
  }
  return undefined;
}

/** Short zone label for customers: "ET", "CT", "MT", "PT", else luxon's short offset name. */
export function zoneAbbreviation(hours: ServiceHours, at: Date): string {
  const zone = zoneOf(hours);
  return ZONE_ABBREVIATIONS[zone] ?? DateTime.fromJSDate(at, { zone }).setLocale('en-US').offsetNameShort ?? zone;
}

// "today" / "tomorrow" / "Monday" / "Monday, January 5" for `target` as seen from `from`.
function dayWord(from: DateTime, target: DateTime): string {
  const days = Math.round(target.startOf('day').diff(from.startOf('day'), 'days').days);
  if (days === 0) return 'today';
  if (days === 1) return 'tomorrow';
  if (days < 7) return WEEKDAYS[target.weekday - 1];
  return target.setLocale('en-US').toFormat('cccc, MMMM d');
}

/**
 * Storefront status line: "Open now — until 12:00 ET", "Closed — opens today 14:00 ET",
 * "Closed — opens tomorrow 9:00 ET", "Closed — opens Monday 9:00 ET", or plain "Closed".
 */
export function openStatus(hours: ServiceHours, at: Date): { open: boolean; label: string } {
  const zone = zoneOf(hours);
  const now = DateTime.fromJSDate(at, { zone });
  const current = spanAt(hours, at.getTime());
  if (current) {
    const end = DateTime.fromMillis(current.end, { zone });
    const day = end.hasSame(now, 'day') ? '' : `${dayWord(now, end)} `;
    return { open: true, label: `Open now — until ${day}${end.toFormat('H:mm')} ${zoneAbbreviation(hours, at)}` };
  }
  const next = nextOpening(hours, at);
  if (!next) return { open: false, label: 'Closed' };
  const opens = DateTime.fromJSDate(next, { zone });
  return {
    open: false,
    label: `Closed — opens ${dayWord(now, opens)} ${opens.toFormat('H:mm')} ${zoneAbbreviation(hours, next)}`,
  };
}

/**
 * The moment `ms` milliseconds of open time have elapsed after `start` (a start in closed
 * time begins counting at the next opening). If the schedule never opens, falls back to
 * plain elapsed time so a due date still exists.
 */
export function addServiceMillis(hours: ServiceHours, start: Date, ms: number): Date {
  const from = start.getTime();
  let remaining = Math.max(0, Math.round(ms));
  if (remaining === 0) return new Date(from);
  let cursor = from;
  for (const s of spans(hours, from)) {
    const begin = Math.max(s.start, from);
    const length = s.end - begin;
    if (remaining <= length) return new Date(begin + remaining);
    remaining -= length;
    cursor = s.end;
  }
  return new Date(cursor + remaining);
}

/** Due time after `serviceHours` hours of open time (Fri 17:00 + 4h → Mon 12:00). */
export function addServiceHours(hours: ServiceHours, start: Date, serviceHours: number): Date {
  return addServiceMillis(hours, start, serviceHours * HOUR_MS);
}

/** Open time, in ms, between `a` and `b` (0 when `b` is not after `a`). */
export function serviceMillisBetween(hours: ServiceHours, a: Date, b: Date): number {
  const from = a.getTime();
  const to = b.getTime();
  if (!(to > from)) return 0;
  let total = 0;
  for (const s of spans(hours, from, to)) total += Math.max(0, Math.min(s.end, to) - Math.max(s.start, from));
  return total;
}

// "09:00" → "9:00"; an end of "00:00" reads "24:00".
function shortTime(hhmm: string, isEnd = false): string {
  if (isEnd && hhmm === '00:00') return '24:00';
  const [h, m] = hhmm.split(':');
  return `${Number(h)}:${m}`;
}

// "a", "a and b", "a, b and c".
function joinAnd(parts: string[]): string {
  return parts.length <= 1 ? parts.join('') : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}

/**
 * The weekly schedule as lines for pages and emails, consecutive days with identical hours
 * grouped: ["Monday–Friday: 9:00–12:00 and 14:00–18:00", "Saturday–Sunday: closed"].
 */
export function describeWeeklyHours(hours: ServiceHours): string[] {
  const text = WEEKDAYS.map((_, i) => {
    const slots = [...(hours.weekly[String(i + 1)] ?? [])]
      .filter((s) => minutesOf(s.end) > minutesOf(s.start) || s.end === '00:00')
      .sort((a, b) => minutesOf(a.start) - minutesOf(b.start));
    return slots.length ? joinAnd(slots.map((s) => `${shortTime(s.start)}–${shortTime(s.end, true)}`)) : 'closed';
  });
  const lines: string[] = [];
  for (let i = 0; i < 7; ) {
    let j = i;
    while (j + 1 < 7 && text[j + 1] === text[i]) j++;
    const days = i === j ? WEEKDAYS[i] : `${WEEKDAYS[i]}–${WEEKDAYS[j]}`;
    lines.push(`${days}: ${text[i]}`);
    i = j + 1;
  }
  return lines;
}
