// Discount screens (owner and support): the list with status and uses, and the form to
// create or change one, with "Deactivate". Pure: data in, markup out.
import type { VNode } from 'preact';
import { DISCOUNT_KINDS, DISCOUNT_KIND_NAMES, describeTerms } from '../../../domain/discounts/discount-rules.ts';
import type { DiscountRow } from '../../../domain/discounts/discount-service.ts';
import { formatMoney } from '../../../domain/shared/money.ts';
import { CheckboxField, ErrorSummary, Field, SelectField, text, type FormErrors, type FormValues } from './form.tsx';

export const DISCOUNT_LABELS = {
  code: 'Code',
  name: 'Name',
  kind: 'Kind',
  value: 'Amount',
  startsAt: 'First day',
  endsAt: 'Last day',
  minSubtotal: 'Minimum subtotal',
  usageCap: 'Uses in all',
  perCustomerCap: 'Uses per customer',
};

/** Where a discount stands today. */
function DiscountStatus({ d, now }: { d: DiscountRow; now: Date }) {
  if (!d.active) return <span class="pill pill-bad">Deactivated</span>;
  if (d.endsAt && now >= d.endsAt) return <span class="pill pill-bad">Ended</span>;
  if (d.startsAt && now < d.startsAt) return <span class="pill pill-warn">Scheduled</span>;
  if (d.usageCap !== null && d.usedCount >= d.usageCap) return <span class="pill pill-warn">Used up</span>;
  return <span class="pill pill-ok">Active</span>;
}

export function DiscountListView({ items, now, day }: { items: DiscountRow[]; now: Date; day: (d: Date | null, last: boolean) => string }) {
  return (
    <>
      <h1>Discounts</h1>
      <p class="muted">
        Codes shoppers type in their cart, and automatic promotions that apply by themselves when their conditions hold. One discount applies per order: the one that saves
        the shopper most.
      </p>
      <p>
        <a class="button" href="/admin/discounts/new">
          New discount
        </a>
      </p>
      <section class="panel" aria-labelledby="discounts-title">
        <h2 id="discounts-title">All discounts</h2>
        {items.length === 0 ? (
          <p class="muted">No discount yet.</p>
        ) : (
          <div class="table-wrap">
            <table class="table">
              <thead>
                <tr>
                  <th scope="col">Code</th>
                  <th scope="col">Discount</th>
                  <th scope="col">Dates</th>
                  <th scope="col" class="num">
                    Used
                  </th>
                  <th scope="col">Status</th>
                </tr>
              </thead>
              <tbody>
                {items.map((d) => (
                  <tr class={d.active ? undefined : 'row-muted'}>
                    <td>
                      <a href={`/admin/discounts/${d.id}`}>{d.code ? d.code.toUpperCase() : `Automatic: ${d.name}`}</a>
                    </td>
                    <td>
                      {describeTerms(d)}
                      {d.minSubtotal ? ` from ${formatMoney(d.minSubtotal)}` : ''}
                    </td>
                    <td>{d.startsAt || d.endsAt ? `${d.startsAt ? day(d.startsAt, false) : '…'} – ${d.endsAt ? day(d.endsAt, true) : '…'}` : 'Always'}</td>
                    <td class="num">
                      {d.usedCount}
                      {d.usageCap !== null ? ` of ${d.usageCap}` : ''}
                    </td>
                    <td>
                      <DiscountStatus d={d} now={now} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
    </>
  );
}

export type DiscountFormData = { discount?: DiscountRow; values: FormValues; errors: FormErrors; error?: string; csrf: VNode };

export function DiscountFormView(d: DiscountFormData) {
  const { values, errors } = d;
  const editing = d.discount;
  const title = editing ? `Discount ${editing.code ? editing.code.toUpperCase() : editing.name}` : 'New discount';
  return (
    <>
      <nav aria-label="Breadcrumb" class="breadcrumb">
        <a href="/admin/discounts">Discounts</a> / <span aria-current="page">{title}</span>
      </nav>
      <h1>{title}</h1>
      {editing ? (
        <p class="muted">
          Used {editing.usedCount} {editing.usedCount === 1 ? 'time' : 'times'}
          {editing.usageCap !== null ? ` of ${editing.usageCap}` : ''}.
        </p>
      ) : null}
      {d.error ? (
        <div class="alert alert-error" role="alert">
          {d.error}
        </div>
      ) : null}
      <ErrorSummary errors={errors} labels={DISCOUNT_LABELS} />
      <form method="post" action={editing ? `/admin/discounts/${editing.id}` : '/admin/discounts'} class="panel narrow-form">
        {d.csrf}
        <Field name="code" label={DISCOUNT_LABELS.code} value={text(values, 'code')} maxLength={32} hint="What shoppers type, e.g. SPRING10 (letters, digits, - and _; case does not matter). Leave empty for an automatic promotion." error={errors.code} />
        <Field name="name" label={DISCOUNT_LABELS.name} value={text(values, 'name')} maxLength={80} hint="For an automatic promotion, shoppers see this in their cart, e.g. Spring sale." error={errors.name} />
        <SelectField
          name="kind"
          label={DISCOUNT_LABELS.kind}
          value={text(values, 'kind') || 'percent'}
          options={DISCOUNT_KIND_NAMES.map((k) => ({ value: k, label: DISCOUNT_KINDS[k] }))}
          error={errors.kind}
        />
        <Field name="value" label={DISCOUNT_LABELS.value} value={text(values, 'value')} inputMode="decimal" hint="Percent off: a percentage (15). Amount off: dollars (10.00). Free shipping: leave empty." error={errors.value} />
        <div class="row">
          <Field name="startsAt" label={DISCOUNT_LABELS.startsAt} type="date" value={text(values, 'startsAt')} hint="Optional. In the shop's time zone." error={errors.startsAt} />
          <Field name="endsAt" label={DISCOUNT_LABELS.endsAt} type="date" value={text(values, 'endsAt')} hint="Optional. It works to the end of this day." error={errors.endsAt} />
        </div>
        <Field name="minSubtotal" label={DISCOUNT_LABELS.minSubtotal} value={text(values, 'minSubtotal')} inputMode="decimal" hint="Optional, in dollars: the goods must cost at least this." error={errors.minSubtotal} />
        <div class="row">
          <Field name="usageCap" label={DISCOUNT_LABELS.usageCap} value={text(values, 'usageCap')} inputMode="numeric" hint="Optional: orders that may use it." error={errors.usageCap} />
          <Field name="perCustomerCap" label={DISCOUNT_LABELS.perCustomerCap} value={text(values, 'perCustomerCap')} inputMode="numeric" hint="Optional: orders per email address." error={errors.perCustomerCap} />
        </div>
        <CheckboxField name="active" label="Active" checked={text(values, 'active') === 'on'} />
        <button type="submit">{editing ? 'Save discount' : 'Create discount'}</button>
      </form>
      {editing && editing.active ? (
        <form method="post" action={`/admin/discounts/${editing.id}/deactivate`} class="panel narrow-form">
          {d.csrf}
          <p class="muted">Deactivating stops new orders from using it; orders that used it keep their discount.</p>
          <button type="submit" class="secondary">
            Deactivate
          </button>
        </form>
      ) : null}
    </>
  );
}
