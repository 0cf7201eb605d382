// The settings form in both directions: settings → the text people edit (dollars, percents,
// "09:00-12:00, 14:00-18:00"), and the submitted text → a settings document for the domain to
// validate. Form field names are the settings paths, so the domain's field errors land next
// to the right field.
import { DateTime, IANAZone } from 'luxon';
import type { StoreSettings } from '../../domain/settings/store-settings.ts';
import { BEFORE_SHIPPING, type OrderStatus } from '../../domain/orders/order-states.ts';
import { isUsState } from '../../domain/checkout/us-states.ts';
import { centsOf } from './catalog-form.ts';
import { dollars, nexusStatesToText, parseNexusStates, parseTaxRules, parseZones, taxRulesToText, zonesToText } from './shipping-tax-form.ts';
import { list, text, type FormErrors, type FormValues } from './views/form.tsx';

/** ISO weekday number → name, Monday first. */
export const WEEKDAYS: readonly [string, string][] = [
  ['1', 'Monday'],
  ['2', 'Tuesday'],
  ['3', 'Wednesday'],
  ['4', 'Thursday'],
  ['5', 'Friday'],
  ['6', 'Saturday'],
  ['7', 'Sunday'],
];

/** Text fields the store cannot do without. */
const REQUIRED = [
  'storeName',
  'contact.address',
  'contact.phone',
  'contact.email',
  'email.from',
  'email.replyTo',
  'shipping.methods.standard.label',
  'shipping.methods.standard.days',
  'shipping.methods.express.label',
  'shipping.methods.express.days',
];

const percent = (bp: number) => (bp % 100 === 0 ? String(bp / 100) : (bp / 100).toFixed(2).replace(/0$/, ''));

export function settingsToForm(s: StoreSettings): FormValues {
  const values: FormValues = {
    storeName: s.storeName,
    'contact.address': s.contact.address,
    'contact.phone': s.contact.phone,
    'contact.email': s.contact.email,
    'email.from': s.email.from,
    'email.replyTo': s.email.replyTo,
    'serviceHours.timeZone': s.serviceHours.timeZone,
    'serviceHours.holidays': s.serviceHours.holidays.join('\n'),
    'serviceHours.firstReplyHours': String(s.serviceHours.firstReplyHours),
    orderNumberPrefix: s.orderNumberPrefix,
    'shipping.freeStandardFrom': s.shipping.freeStandardFrom === null ? '' : dollars(s.shipping.freeStandardFrom),
    'shipping.zones': zonesToText(s.shipping.zones),
    'shipping.defaultItemGrams': String(s.shipping.defaultItemGrams),
    taxRates: Object.entries(s.taxRates)
      .map(([state, bp]) => `${state} ${percent(bp)}`)
      .join('\n'),
    taxRules: taxRulesToText(s.taxRules),
    'nexus.sales': dollars(s.nexus.sales),
    'nexus.transactions': s.nexus.transactions === null ? '' : String(s.nexus.transactions),
    'nexus.states': nexusStatesToText(s.nexus.states),
    'returns.windowDays': String(s.returns.windowDays),
    'returns.refundShipping': s.returns.refundShipping ? 'on' : undefined,
    'returns.restockingFeeBp': percent(s.returns.restockingFeeBp),
    'requests.autoApproveCancelIn': [...s.requests.autoApproveCancelIn],
    lowStockThreshold: String(s.lowStockThreshold),
    'payments.capture': s.payments.capture,
    'cartRecovery.enabled': s.cartRecovery.enabled ? 'on' : undefined,
    'cartRecovery.delayMinutes': String(s.cartRecovery.delayMinutes),
  };
  for (const [day] of WEEKDAYS) values[`hours.${day}`] = (s.serviceHours.weekly[day] ?? []).map((i) => `${i.start}-${i.end}`).join(', ');
  for (const m of ['standard', 'express'] as const) {
    const method = s.shipping.methods[m];
    values[`shipping.methods.${m}.label`] = method.label;
    values[`shipping.methods.${m}.rate`] = dollars(method.rate);
    values[`shipping.methods.${m}.days`] = method.days;
  }
  return values;
}

/**
 * Reads the submitted form into a full settings document (fields not on the form keep their
 * current values). `errors` holds what could not even be read (e.g. "6.9.5" as a price);
 * the document still carries the current value there, so the domain reports only real problems.
 */
export function formToSettings(current: StoreSettings, form: FormValues): { input: StoreSettings; errors: FormErrors } {
  const errors: FormErrors = {};
  const str = (name: string) => text(form, name).trim();
  const read = <T>(name: string, fallback: T, parse: (v: string) => T | string): T => {
    const result = parse(str(name));
    if (typeof result === 'string' && typeof fallback !== 'string') {
      errors[name] = result;
      return fallback;
    }
    return result as T;
  };
  const whole = (v: string) => (/^\d{1,7}$/.test(v) ? Number(v) : 'Enter a whole number.');
  const cents = (v: string) => centsOf(v, '6.95');
  const basisPoints = (v: string) => {
    const m = /^(\d{1,3})(?:\.(\d{1,2}))?\s*%?$/.exec(v);
    return m ? Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0')) : 'Enter a percentage, like 6 or 7.25.';
  };

  for (const name of REQUIRED) if (!str(name)) errors[name] = 'Fill this in.';

  const timeZone = str('serviceHours.timeZone');
  if (!IANAZone.isValidZone(timeZone)) errors['serviceHours.timeZone'] = 'Choose a time zone from the list.';

  const weekly: StoreSettings['serviceHours']['weekly'] = {};
  for (const [day] of WEEKDAYS) {
    const parsed = parseIntervals(str(`hours.${day}`));
    if (typeof parsed === 'string') {
      errors[`hours.${day}`] = parsed;
      if (current.serviceHours.weekly[day]) weekly[day] = current.serviceHours.weekly[day];
    } else if (parsed.length) {
      weekly[day] = parsed;
    }
  }

  const holidays: string[] = [];
  for (const entry of str('serviceHours.holidays').split(/[\s,]+/).filter(Boolean)) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(entry) || !DateTime.fromISO(entry).isValid) {
      errors['serviceHours.holidays'] = `“${entry}” is not a date: write each as YYYY-MM-DD, e.g. 2025-12-25.`;
      break;
    }
    if (!holidays.includes(entry)) holidays.push(entry);
  }
  holidays.sort();

  const taxRates: Record<string, number> = {};
  for (const line of str('taxRates').split(/\n|;/).map((l) => l.trim()).filter(Boolean)) {
    const m = /^([A-Za-z]{2})\s*[:=]?\s*(\d{1,2}(?:\.\d{1,2})?)\s*%?$/.exec(line);
    const state = m?.[1]!.toUpperCase();
    if (!m || !state || !isUsState(state)) {
      errors.taxRates = `“${line}”: write a state code and a percentage, e.g. WV 6.`;
      break;
    }
    taxRates[state] = basisPoints(m[2]!) as number;
  }

  // Text areas read as a whole: one bad line keeps the current value and names the line.
  const zones = read('shipping.zones', current.shipping.zones, parseZones);
  const taxRules = read('taxRules', current.taxRules, parseTaxRules);
  const nexusStates = read('nexus.states', current.nexus.states, parseNexusStates);

  const autoApprove = list(form, 'requests.autoApproveCancelIn').filter((s): s is OrderStatus => (BEFORE_SHIPPING as readonly string[]).includes(s));

  const method = (m: 'standard' | 'express') => ({
    label: str(`shipping.methods.${m}.label`),
    rate: read(`shipping.methods.${m}.rate`, current.shipping.methods[m].rate, cents),
    days: str(`shipping.methods.${m}.days`),
  });

  const input: StoreSettings = {
    ...current,
    storeName: str('storeName'),
    contact: { address: str('contact.address'), phone: str('contact.phone'), email: str('contact.email') },
    email: { from: str('email.from'), replyTo: str('email.replyTo') },
    serviceHours: {
      ...current.serviceHours,
      timeZone: errors['serviceHours.timeZone'] ? current.serviceHours.timeZone : timeZone,
      weekly,
      holidays: errors['serviceHours.holidays'] ? current.serviceHours.holidays : holidays,
      firstReplyHours: read('serviceHours.firstReplyHours', current.serviceHours.firstReplyHours, whole),
    },
    orderNumberPrefix: str('orderNumberPrefix').toUpperCase(),
    shipping: {
      methods: { standard: method('standard'), express: method('express') },
      freeStandardFrom: str('shipping.freeStandardFrom') === '' ? null : read('shipping.freeStandardFrom', current.shipping.freeStandardFrom, cents),
      zones,
      defaultItemGrams: read('shipping.defaultItemGrams', current.shipping.defaultItemGrams, whole),
    },
    taxRates: errors.taxRates ? current.taxRates : taxRates,
    taxRules,
    nexus: {
      sales: read('nexus.sales', current.nexus.sales, cents),
      transactions: str('nexus.transactions') === '' ? null : read('nexus.transactions', current.nexus.transactions, whole),
      states: nexusStates,
    },
    returns: {
      windowDays: read('returns.windowDays', current.returns.windowDays, whole),
      refundShipping: str('returns.refundShipping') !== '',
      restockingFeeBp: read('returns.restockingFeeBp', current.returns.restockingFeeBp, basisPoints),
    },
    requests: { autoApproveCancelIn: autoApprove },
    lowStockThreshold: read('lowStockThreshold', current.lowStockThreshold, whole),
    // An unknown value is kept as sent, so the domain's validation names it.
    payments: { capture: (str('payments.capture') || current.payments.capture) as StoreSettings['payments']['capture'] },
    cartRecovery: { enabled: str('cartRecovery.enabled') !== '', delayMinutes: read('cartRecovery.delayMinutes', current.cartRecovery.delayMinutes, whole) },
  };
  return { input, errors };
}

/** "09:00-12:00, 14:00-18:00" → sorted, non-overlapping intervals; an empty text means closed. */
function parseIntervals(value: string): { start: string; end: string }[] | string {
  if (!value) return [];
  const out: { start: string; end: string }[] = [];
  for (const part of value.split(/[,;]/).map((p) => p.trim()).filter(Boolean)) {
    const m = /^(\d{1,2}):(\d{2})\s*(?:-|–|—|to)\s*(\d{1,2}):(\d{2})$/.exec(part);
    if (!m) return `Write opening times like 09:00-12:00, 14:00-18:00 (“${part}” is not).`;
    const [h1, m1, h2, m2] = m.slice(1).map(Number) as [number, number, number, number];
    if (h1 > 23 || h2 > 23 || m1 > 59 || m2 > 59) return `“${part}” is not a time of day.`;
    const start = `${String(h1).padStart(2, '0')}:${String(m1).padStart(2, '0')}`;
    const end = `${String(h2).padStart(2, '0')}:${String(m2).padStart(2, '0')}`;
    // 00:00 as the end means midnight (open until the end of the day).
    if (end !== '00:00' && end <= start) return `In “${part}” the end must be after the start.`;
    out.push({ start, end });
  }
  out.sort((a, b) => a.start.localeCompare(b.start));
  for (let i = 1; i < out.length; i++) {
    const prevEnd = out[i - 1]!.end === '00:00' ? '24:00' : out[i - 1]!.end;
    if (out[i]!.start < prevEnd) return 'The opening times overlap.';
  }
  return out;
}

/** The form field that shows a domain error at `path` (e.g. "serviceHours.weekly.1.0.start" → "hours.1"). */
export function fieldOfPath(path: string): string {
  const weekly = /^serviceHours\.weekly\.([1-7])/.exec(path);
  if (weekly) return `hours.${weekly[1]}`;
  for (const group of ['taxRates', 'taxRules', 'shipping.zones', 'nexus.states', 'serviceHours.holidays', 'requests.autoApproveCancelIn']) if (path.startsWith(group)) return group;
  return path;
}
