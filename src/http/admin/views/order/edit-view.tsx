// /admin/orders/:number/edit: change the address, quantities and prices, add products by
// SKU; "Preview changes" shows the old and new totals and the refund; "Confirm changes"
// submits the same form again, planned anew under the order's lock.
import { randomUUID } from 'node:crypto';
import type { VNode } from 'preact';
import type { Order } from '../../../../domain/orders/order-service.ts';
import type { EditLine, EditPlan } from '../../../../domain/edits/edit-plan.ts';
import { lineName } from '../../../../domain/checkout/checkout-snapshot.ts';
import { US_STATES } from '../../../../domain/checkout/us-states.ts';
import { formatMoney } from '../../../../domain/shared/money.ts';
import { ErrorSummary, Field, SelectField, text, type FormErrors, type FormValues } from '../form.tsx';
import { TotalsList } from '../../../pages/views/parts.tsx';

/** Blank "add a product" rows offered on the form. */
export const ADD_ROWS = 2;

export const EDIT_LABELS: Record<string, string> = {
  'shippingAddress.name': 'Full name',
  'shippingAddress.line1': 'Address line 1',
  'shippingAddress.line2': 'Address line 2',
  'shippingAddress.city': 'City',
  'shippingAddress.state': 'State',
  'shippingAddress.postalCode': 'ZIP code',
  items: 'Items',
};

export type EditPageData = { order: Order; lines: EditLine[]; values: FormValues; errors: FormErrors; message?: string; plan?: EditPlan; csrf: VNode };

export function editFormValues(order: Order, lines: EditLine[]): FormValues {
  const a = order.shippingAddress;
  const values: FormValues = {
    'shippingAddress.name': a.name,
    'shippingAddress.line1': a.line1,
    'shippingAddress.line2': a.line2 ?? '',
    'shippingAddress.city': a.city,
    'shippingAddress.state': a.state,
    'shippingAddress.postalCode': a.postalCode,
    idempotencyKey: randomUUID(),
  };
  lines.forEach((l, i) => {
    values[`items.${i}.sku`] = l.sku;
    values[`items.${i}.quantity`] = String(l.quantity);
    values[`items.${i}.unitPrice`] = (l.unitPrice / 100).toFixed(2);
  });
  return values;
}

export function OrderEditView({ order, lines, values, errors, message, plan, csrf }: EditPageData) {
  const f = (name: string, extra: Partial<Parameters<typeof Field>[0]> = {}) => (
    <Field name={name} label={EDIT_LABELS[name] ?? name} value={text(values, name)} error={errors[name]} {...extra} />
  );
  const m = (n: number) => formatMoney(n, order.currency);
  return (
    <>
      <p>
        <a href={`/admin/orders/${order.number}`}>← Order {order.number}</a>
      </p>
      <h1>Edit order {order.number}</h1>
      <p class="hint">Changes are possible until the parcel is handed to the carrier. Preview first; the customer is emailed what changed, and a lower total is refunded to the card.</p>
      <ErrorSummary errors={errors} labels={EDIT_LABELS} />
      {message ? (
        <div class="alert alert-error" role="alert">
          {message}
        </div>
      ) : null}
      <form method="post" action={`/admin/orders/${order.number}/edit`} class="stacked-form edit-order">
        {csrf}
        <input type="hidden" name="idempotencyKey" value={text(values, 'idempotencyKey')} />
        <section class="panel" aria-labelledby="edit-items">
          <h2 id="edit-items">Items</h2>
          <div class="table-wrap">
            <table class="table">
              <thead>
                <tr>
                  <th scope="col">Product</th>
                  <th scope="col">Quantity</th>
                  <th scope="col">Unit price ($)</th>
                  <th scope="col">Reason for a new price</th>
                </tr>
              </thead>
              <tbody>
                {lines.map((l, i) => (
                  <tr>
                    <th scope="row">
                      {lineName(l)} <code>{l.sku}</code>
                      <input type="hidden" name={`items.${i}.sku`} value={l.sku} />
                    </th>
                    <td>{f(`items.${i}.quantity`, { label: `Quantity of ${l.sku}`, inputMode: 'numeric', class: 'short label-hidden' })}</td>
                    <td>{f(`items.${i}.unitPrice`, { label: `Price of ${l.sku}`, inputMode: 'decimal', class: 'short label-hidden' })}</td>
                    <td>{f(`items.${i}.priceReason`, { label: `Reason for the price of ${l.sku}`, class: 'label-hidden', maxLength: 200 })}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p class="hint">Set a quantity to 0 to remove the item.</p>
          <h3>Add a product</h3>
          {Array.from({ length: ADD_ROWS }, (_, i) => (
            <div class="row">
              {f(`add.${i}.sku`, { label: `SKU to add (${i + 1})`, maxLength: 40, autocomplete: 'off' })}
              {f(`add.${i}.quantity`, { label: `Quantity to add (${i + 1})`, inputMode: 'numeric', class: 'short' })}
            </div>
          ))}
        </section>
        <section class="panel" aria-labelledby="edit-address">
          <h2 id="edit-address">Shipping address</h2>
          {f('shippingAddress.name', { maxLength: 100 })}
          {f('shippingAddress.line1', { maxLength: 200 })}
          {f('shippingAddress.line2', { maxLength: 200 })}
          <div class="row">
            {f('shippingAddress.city', { maxLength: 100 })}
            <SelectField
              name="shippingAddress.state"
              label={EDIT_LABELS['shippingAddress.state']!}
              value={text(values, 'shippingAddress.state')}
              error={errors['shippingAddress.state']}
              options={Object.entries(US_STATES).map(([value, label]) => ({ value, label }))}
            />
            {f('shippingAddress.postalCode', { maxLength: 10, class: 'short' })}
          </div>
        </section>
        {plan ? (
          <section class="panel" aria-labelledby="edit-preview" id="preview">
            <h2 id="edit-preview">Preview</h2>
            <ul>
              {plan.changes.map((c) => (
                <li>{c}</li>
              ))}
            </ul>
            <div class="admin-columns">
              <div>
                <h3>Now</h3>
                <TotalsList rows={[['Subtotal', m(order.subtotal)], ['Shipping', m(order.shipping)], ['Tax', m(order.tax)]]} total={['Total', m(order.total)]} />
              </div>
              <div>
                <h3>After the edit</h3>
                <TotalsList rows={[['Subtotal', m(plan.totals.subtotal)], ['Shipping', m(plan.totals.shipping)], ['Tax', m(plan.totals.tax)]]} total={['Total', m(plan.totals.total)]} />
              </div>
            </div>
            <p>
              <strong>
                {plan.difference < 0
                  ? `${m(-plan.difference)} will be refunded to the customer’s card.`
                  : plan.difference > 0
                    ? `The customer will be emailed a link to pay ${m(plan.difference)}; the order waits for it before it is prepared.`
                    : 'Nothing to refund or collect.'}
              </strong>
            </p>
          </section>
        ) : null}
        <div class="form-actions">
          <button type="submit" name="intent" value="preview" class={plan ? 'secondary' : undefined}>
            Preview changes
          </button>
          {plan ? (
            <button type="submit" name="intent" value="confirm">
              Confirm changes
            </button>
          ) : null}
        </div>
      </form>
    </>
  );
}
