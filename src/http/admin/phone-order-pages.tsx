// /admin/phone-orders: an agent on the phone builds the caller's order (products by SKU,
// contact, address, shipping) and the customer is emailed the payment link; the list shows
// which links were paid (with the order) and which are waiting or expired.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DateTime } from 'luxon';
import type { AppContext } from '../../context.ts';
import { createPhoneOrder, phoneOrderById, recentPhoneOrders, type PhoneOrderView } from '../../domain/phone-orders/phone-orders.ts';
import { lineName } from '../../domain/checkout/checkout-snapshot.ts';
import { US_STATES } from '../../domain/checkout/us-states.ts';
import { staffActor } from '../../domain/staff/staff-service.ts';
import { formatMoney } from '../../domain/shared/money.ts';
import { render } from '../pages/html.tsx';
import { csrfField, flash, sendAdminPage } from './admin-layout.tsx';
import { requireStaff } from './auth.ts';
import { refusalOf } from './form-errors.ts';
import { ErrorSummary, Field, SelectField, text, type FormErrors, type FormValues } from './views/form.tsx';
import type { VNode } from 'preact';

const ITEM_ROWS = 4;
const STATUS_WORDS = { awaiting_payment: 'Waiting for payment', paid: 'Paid', expired: 'Link expired' } as const;

const LABELS: Record<string, string> = {
  email: 'Customer email',
  phone: 'Customer phone',
  'shippingAddress.name': 'Full name',
  'shippingAddress.line1': 'Address line 1',
  'shippingAddress.line2': 'Address line 2',
  'shippingAddress.city': 'City',
  'shippingAddress.state': 'State',
  'shippingAddress.postalCode': 'ZIP code',
  shippingMethod: 'Shipping',
  items: 'Products',
};

export async function phoneOrderPages(app: FastifyInstance, { ctx }: { ctx: AppContext }) {
  const guard = { preHandler: requireStaff(ctx, 'orders.phone') };
  const at = (d: Date) => DateTime.fromJSDate(d, { zone: ctx.settings().serviceHours.timeZone }).toFormat('LLL d, h:mm a');

  async function listPage(req: FastifyRequest, reply: FastifyReply, values: FormValues = { shippingMethod: 'standard' }, errors: FormErrors = {}, message?: string, status = 200) {
    const recent = await recentPhoneOrders(ctx);
    const main = render(<PhoneOrdersView values={values} errors={errors} message={message} recent={recent} csrf={csrfField(req)} at={at} currency={ctx.settings().currency} />);
    return sendAdminPage(ctx, req, reply, { title: 'Phone orders', active: 'orders', main, status });
  }

  app.get('/admin/phone-orders', guard, (req, reply) => listPage(req, reply));

  app.post<{ Body: FormValues }>('/admin/phone-orders', guard, async (req, reply) => {
    const f = req.body ?? {};
    const items = Array.from({ length: ITEM_ROWS }, (_, i) => ({ sku: text(f, `items.${i}.sku`), quantity: Number(text(f, `items.${i}.quantity`) || '1') })).filter((i) => i.sku.trim());
    const bad = items.findIndex((i) => !Number.isInteger(i.quantity) || i.quantity < 1);
    if (bad >= 0) return listPage(req, reply, f, { [`items.${bad}.quantity`]: 'Enter a whole number of units, 1 or more.' }, undefined, 422);
    try {
      const created = await createPhoneOrder(
        ctx,
        {
          email: text(f, 'email'),
          phone: text(f, 'phone'),
          shippingMethod: text(f, 'shippingMethod'),
          shippingAddress: Object.fromEntries(['name', 'line1', 'line2', 'city', 'state', 'postalCode'].map((k) => [k, text(f, `shippingAddress.${k}`)]).concat([['country', 'US']])),
          items,
        },
        staffActor(req.staff),
      );
      flash(reply, `Payment link for ${formatMoney(created.totals.total, ctx.settings().currency)} emailed to ${created.phoneOrder.email}.`);
      return reply.redirect(`/admin/phone-orders/${created.phoneOrder.id}`, 303);
    } catch (err) {
      const refused = refusalOf(err, reply);
      if (!refused) throw err;
      return listPage(req, reply, f, refused.fields, refused.message, refused.status);
    }
  });

  app.get<{ Params: { id: string } }>('/admin/phone-orders/:id', guard, async (req, reply) => {
    const v = await phoneOrderById(ctx, req.params.id);
    const main = render(<PhoneOrderView v={v} at={at} currency={ctx.settings().currency} />);
    return sendAdminPage(ctx, req, reply, { title: 'Phone order', active: 'orders', main });
  });
}

function PhoneOrdersView({ values, errors, message, recent, csrf, at, currency }: { values: FormValues; errors: FormErrors; message?: string; recent: PhoneOrderView[]; csrf: VNode; at: (d: Date) => string; currency: string }) {
  const f = (name: string, extra: Partial<Parameters<typeof Field>[0]> = {}) => <Field name={name} label={LABELS[name] ?? name} value={text(values, name)} error={errors[name]} {...extra} />;
  return (
    <>
      <h1>Phone orders</h1>
      <p class="hint">Build the caller’s order; they get an email with the order and a link to pay. It becomes a normal order when paid, and the stock is taken then. Links expire after 7 days.</p>
      <ErrorSummary errors={errors} labels={LABELS} />
      {message ? (
        <div class="alert alert-error" role="alert">
          {message}
        </div>
      ) : null}
      <form method="post" action="/admin/phone-orders" class="stacked-form">
        {csrf}
        <fieldset>
          <legend>Products</legend>
          {Array.from({ length: ITEM_ROWS }, (_, i) => (
            <div class="row">
              {f(`items.${i}.sku`, { label: `SKU (${i + 1})`, maxLength: 40, autocomplete: 'off' })}
              {f(`items.${i}.quantity`, { label: `Quantity (${i + 1})`, inputMode: 'numeric', class: 'short' })}
            </div>
          ))}
        </fieldset>
        <fieldset>
          <legend>Contact and address</legend>
          <div class="row">
            {f('email', { type: 'email', autocomplete: 'off' })}
            {f('phone', { type: 'tel', autocomplete: 'off' })}
          </div>
          {f('shippingAddress.name', { maxLength: 100 })}
          {f('shippingAddress.line1', { maxLength: 200 })}
          {f('shippingAddress.line2', { maxLength: 200 })}
          <div class="row">
            {f('shippingAddress.city', { maxLength: 100 })}
            <SelectField
              name="shippingAddress.state"
              label={LABELS['shippingAddress.state']!}
              value={text(values, 'shippingAddress.state')}
              error={errors['shippingAddress.state']}
              options={[{ value: '', label: 'Choose…' }, ...Object.entries(US_STATES).map(([value, label]) => ({ value, label }))]}
            />
            {f('shippingAddress.postalCode', { maxLength: 10, class: 'short' })}
          </div>
          <SelectField
            name="shippingMethod"
            label={LABELS.shippingMethod!}
            value={text(values, 'shippingMethod')}
            error={errors.shippingMethod}
            options={[
              { value: 'standard', label: 'Standard' },
              { value: 'express', label: 'Express' },
            ]}
          />
        </fieldset>
        <div class="form-actions">
          <button type="submit">Email the payment link</button>
        </div>
      </form>
      <section class="panel" aria-labelledby="recent-title">
        <h2 id="recent-title">Recent phone orders</h2>
        {recent.length === 0 ? (
          <p class="empty">None yet.</p>
        ) : (
          <div class="table-wrap">
            <table class="table">
              <thead>
                <tr>
                  <th scope="col">Created</th>
                  <th scope="col">Customer</th>
                  <th scope="col" class="num">Total</th>
                  <th scope="col">Status</th>
                </tr>
              </thead>
              <tbody>
                {recent.map((v) => (
                  <tr>
                    <td>
                      <a href={`/admin/phone-orders/${v.phoneOrder.id}`}>{at(v.phoneOrder.createdAt)}</a>
                    </td>
                    <td>{v.phoneOrder.email}</td>
                    <td class="num">{formatMoney(v.totals.total, currency)}</td>
                    <td>{v.orderNumber ? <a href={`/admin/orders/${v.orderNumber}`}>Paid: {v.orderNumber}</a> : STATUS_WORDS[v.status]}</td>
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

function PhoneOrderView({ v, at, currency }: { v: PhoneOrderView; at: (d: Date) => string; currency: string }) {
  const p = v.phoneOrder;
  return (
    <>
      <p>
        <a href="/admin/phone-orders">← Phone orders</a>
      </p>
      <h1>Phone order for {p.email}</h1>
      <dl class="kv">
        <dt>Status</dt>
        <dd>{v.orderNumber ? <a href={`/admin/orders/${v.orderNumber}`}>Paid: order {v.orderNumber}</a> : STATUS_WORDS[v.status]}</dd>
        <dt>Taken by</dt>
        <dd>
          {p.staffEmail}, {at(p.createdAt)}
        </dd>
        <dt>Link open until</dt>
        <dd>{at(p.expiresAt)}</dd>
        <dt>Payment link</dt>
        <dd>
          <code class="wrap">{v.payUrl}</code>
        </dd>
      </dl>
      <ul>
        {v.lines.map((l) => (
          <li>
            {l.quantity} × {lineName(l)} ({formatMoney(l.lineTotal, currency)})
          </li>
        ))}
      </ul>
      <p>
        <strong>Total {formatMoney(v.totals.total, currency)}</strong> (with {formatMoney(v.totals.shipping, currency)} shipping and {formatMoney(v.totals.tax, currency)} tax, at today’s prices)
      </p>
    </>
  );
}
