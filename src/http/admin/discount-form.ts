// The discount form's text fields → a DiscountInput, or a message per field. Dates are days
// in the shop's time zone: "starts" at the beginning of its day, "ends" after the end of its
// day (staff think "last day", the row keeps the first instant it no longer applies).
import { DateTime } from 'luxon';
import { isDiscountKind, type DiscountInput } from '../../domain/discounts/discount-rules.ts';
import type { DiscountRow } from '../../domain/discounts/discount-service.ts';
import type { FieldErrors } from '../../domain/shared/errors.ts';
import { centsOf, dollars } from './catalog-form.ts';
import { text, type FormValues } from './views/form.tsx';

function day(value: string, zone: string, after: boolean): Date | null | string {
  if (!value.trim()) return null;
  const d = DateTime.fromISO(value.trim(), { zone });
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value.trim()) || !d.isValid) return 'Enter a date as YYYY-MM-DD, e.g. 2026-12-31';
  return (after ? d.plus({ days: 1 }) : d).startOf('day').toJSDate();
}

function count(value: string): number | null | string {
  if (!value.trim()) return null;
  return /^\d{1,9}$/.test(value.trim()) ? Number(value.trim()) : 'Enter a whole number, or leave empty for no cap';
}

/** Reads the form; `errors` is empty when `input` can go to the domain (which checks the rest). */
export function parseDiscountForm(form: FormValues, zone: string): { input?: DiscountInput; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const kind = text(form, 'kind');
  if (!isDiscountKind(kind)) errors.kind = 'Choose percent off, amount off or free shipping';
  let value = 0;
  const raw = text(form, 'value').trim();
  if (kind === 'percent') {
    if (/^\d{1,3}(\.\d{1,2})?$/.test(raw)) value = Math.round(Number(raw) * 100);
    else errors.value = 'Enter a percentage from 1 to 100, e.g. 15';
  } else if (kind === 'fixed') {
    const c = centsOf(raw, '10.00');
    if (typeof c === 'string') errors.value = c;
    else value = c;
  }
  const min = text(form, 'minSubtotal').trim() ? centsOf(text(form, 'minSubtotal'), '50.00') : 0;
  if (typeof min === 'string') errors.minSubtotal = min;
  const startsAt = day(text(form, 'startsAt'), zone, false);
  const endsAt = day(text(form, 'endsAt'), zone, true);
  if (typeof startsAt === 'string') errors.startsAt = startsAt;
  if (typeof endsAt === 'string') errors.endsAt = endsAt;
  const usageCap = count(text(form, 'usageCap'));
  const perCustomerCap = count(text(form, 'perCustomerCap'));
  if (typeof usageCap === 'string') errors.usageCap = usageCap;
  if (typeof perCustomerCap === 'string') errors.perCustomerCap = perCustomerCap;
  if (Object.keys(errors).length) return { errors };
  const code = text(form, 'code').trim();
  return {
    errors,
    input: {
      code: code || null,
      name: text(form, 'name'),
      kind: kind as DiscountInput['kind'],
      value,
      startsAt: startsAt as Date | null,
      endsAt: endsAt as Date | null,
      minSubtotal: min as number,
      usageCap: usageCap as number | null,
      perCustomerCap: perCustomerCap as number | null,
      active: text(form, 'active') === 'on',
    },
  };
}

/** A discount as the form shows it. */
export function discountFormValues(d: DiscountRow, zone: string): FormValues {
  const date = (x: Date | null, before: boolean) => (x ? DateTime.fromJSDate(before ? new Date(x.getTime() - 1) : x, { zone }).toISODate()! : '');
  return {
    code: d.code ?? '',
    name: d.name,
    kind: d.kind,
    value: d.kind === 'percent' ? String(d.value / 100) : d.kind === 'fixed' ? dollars(d.value) : '',
    startsAt: date(d.startsAt, false),
    endsAt: date(d.endsAt, true),
    minSubtotal: d.minSubtotal ? dollars(d.minSubtotal) : '',
    usageCap: d.usageCap === null ? '' : String(d.usageCap),
    perCustomerCap: d.perCustomerCap === null ? '' : String(d.perCustomerCap),
    active: d.active ? 'on' : undefined,
  };
}
