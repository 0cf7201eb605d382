// The order confirmation page: the order number, what happens next, the items and totals,
// the payment record and where it ships. Pure: the receipt in, markup out.
import type { OrderReceipt } from '../../../domain/checkout/order-receipt.ts';
import type { StoreSettings } from '../../../domain/settings/store-settings.ts';
import { formatMoney } from '../../../domain/shared/money.ts';
import { cardLabel } from '../../../emails/content.ts';
import { formatPhone, telHref } from '../../../domain/shared/phone.ts';
import { optionsText } from './cart-views.tsx';
import { discountRows, TotalsList } from './parts.tsx';

export function ConfirmationView({ r, settings, trackHref }: { r: OrderReceipt; settings: StoreSettings; trackHref: string }) {
  const m = (cents: number) => formatMoney(cents, r.currency);
  const a = r.shippingAddress;
  const method = settings.shipping.methods[r.shippingMethod as 'standard' | 'express'];
  const firstName = a.name.split(/\s+/)[0];
  return (
    <>
      <section class="confirmation-head">
        <p class="confirmation-check" aria-hidden="true">
          ✓
        </p>
        <h1>Thank you, {firstName}. Your order is confirmed.</h1>
        <p class="order-number">
          Order number <strong>{r.number}</strong>
        </p>
        <p class="muted">
          We sent your receipt to <strong>{r.email}</strong>. Keep the order number: it is all you need to track the order or contact us about it.
        </p>
      </section>
      <div class="two-col">
        <div>
          <section class="panel" aria-labelledby="next-heading">
            <h2 id="next-heading">What happens next</h2>
            <ol class="steps">
              <li class="done">Paid</li>
              <li class="current">Verification</li>
              <li>Preparation</li>
              <li>Packing</li>
              <li>Handover to the carrier</li>
            </ol>
            <p>
              We first check the order details and the payment. Then your items are picked from stock, looked over and packed. When the parcel goes to the carrier we
              email you its tracking number.
            </p>
            <p>
              <a class="button secondary" href={trackHref}>
                Track your order
              </a>
            </p>
            <p class="hint">
              You can also track it on the tracking page with the order number and the email address or phone number you gave at checkout.
            </p>
          </section>
          <section class="panel" aria-labelledby="items-heading">
            <h2 id="items-heading">Your items</h2>
            <table class="table">
              <caption class="visually-hidden">Products, quantities and prices in order {r.number}</caption>
              <thead>
                <tr>
                  <th scope="col">Product</th>
                  <th scope="col" class="num">
                    Quantity
                  </th>
                  <th scope="col" class="num">
                    Price
                  </th>
                  <th scope="col" class="num">
                    Total
                  </th>
                </tr>
              </thead>
              <tbody>
                {r.items.map((i) => (
                  <tr>
                    <td>
                      <a href={`/products/${encodeURIComponent(i.slug)}`}>{i.name}</a>
                      <span class="muted cart-meta">
                        {[optionsText(i.options), `SKU ${i.sku}`].filter(Boolean).join(' · ')}
                      </span>
                    </td>
                    <td class="num">{i.quantity}</td>
                    <td class="num">{m(i.unitPrice)}</td>
                    <td class="num">{m(i.lineTotal)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <TotalsList
              rows={[
                ['Subtotal', m(r.totals.subtotal)],
                ...discountRows(r.totals.discount, r.discountCode, m),
                [`Shipping (${method?.label ?? r.shippingMethod})`, r.totals.shipping === 0 ? 'Free' : m(r.totals.shipping)],
                ['Sales tax', m(r.totals.tax)],
              ]}
              total={['Total paid', m(r.totals.total)]}
            />
          </section>
        </div>
        <div>
          <section class="panel" aria-labelledby="payment-heading">
            <h2 id="payment-heading">Payment</h2>
            <dl class="facts">
              <dt>Card</dt>
              <dd>{cardLabel(r.payment.brand, r.payment.last4)}</dd>
              <dt>Amount</dt>
              <dd>{m(r.payment.amount)}</dd>
              <dt>Transaction ID</dt>
              <dd class="mono">{r.payment.transactionId}</dd>
            </dl>
          </section>
          <section class="panel" aria-labelledby="ship-heading">
            <h2 id="ship-heading">Shipping to</h2>
            <address class="address">
              {a.name}
              <br />
              {a.line1}
              <br />
              {a.line2 ? (
                <>
                  {a.line2}
                  <br />
                </>
              ) : null}
              {a.city}, {a.state} {a.postalCode}
              <br />
              United States
            </address>
            <p class="muted">
              {method ? `${method.label} shipping, ${method.days}` : r.shippingMethod}
              <br />
              {r.email} · {formatPhone(r.phone)}
            </p>
          </section>
          <section class="panel" aria-labelledby="help-heading">
            <h2 id="help-heading">Need to change something?</h2>
            <p>
              Contact us before the order is handed to the carrier: until then we can still change or cancel it. Call{' '}
              <a href={telHref(settings.contact.phone)}>{settings.contact.phone}</a> or email{' '}
              <a href={`mailto:${settings.contact.email}`}>{settings.contact.email}</a>.
            </p>
          </section>
        </div>
      </div>
    </>
  );
}

