// The printable sheets for one order: the pick list (warehouse) and the packing slip (in the parcel).
import type { OrderDetail } from '../../../../domain/orders/order-queries.ts';
import type { StoreSettings } from '../../../../domain/settings/store-settings.ts';
import { formatMoney } from '../../../../domain/shared/money.ts';
import { humanize, optionsText, when } from '../display.tsx';

type PrintData = { detail: OrderDetail; settings: StoreSettings; now: Date; timeZone: string };

function PrintHead({ title, detail, now, timeZone }: PrintData & { title: string }) {
  return (
    <>
      <p class="no-print print-actions">
        <a href={`/admin/orders/${detail.order.number}`}>← Back to the order</a>
        <span class="muted">Print with your browser (Ctrl+P or ⌘P); the menus are left off the paper.</span>
      </p>
      <header class="sheet-head">
        <h1>
          {title} <span class="order-number">{detail.order.number}</span>
        </h1>
        <p>
          Paid {when(detail.order.createdAt, timeZone, now)} · {humanize(detail.order.shippingMethod)} shipping · {detail.items.reduce((n, i) => n + i.quantity, 0)} units
        </p>
      </header>
    </>
  );
}

/** For picking: every line with a box to tick, the quantity large. */
export function PickListView(d: PrintData) {
  return (
    <article class="sheet">
      <PrintHead {...d} title="Pick list" />
      <table class="table sheet-table">
        <thead>
          <tr>
            <th scope="col" class="tick">
              <span class="visually-hidden">Picked</span>
            </th>
            <th scope="col" class="num">
              Qty
            </th>
            <th scope="col">SKU</th>
            <th scope="col">Product</th>
            <th scope="col">Options</th>
          </tr>
        </thead>
        <tbody>
          {d.detail.items.map((i) => (
            <tr>
              <td class="tick">
                <span class="box" aria-hidden="true" />
              </td>
              <td class="num qty">{i.quantity}</td>
              <td>
                <code>{i.sku}</code>
              </td>
              <td>{i.productName}</td>
              <td>{optionsText(i.options)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p class="sign-line">Picked by ____________________ &nbsp; Checked by ____________________</p>
    </article>
  );
}

/** Goes in the parcel: who it is for, what is in it, and how to check it on arrival. */
export function PackingSlipView(d: PrintData) {
  const { order, items } = d.detail;
  const a = order.shippingAddress;
  const c = d.settings.contact;
  return (
    <article class="sheet">
      <PrintHead {...d} title="Packing slip" />
      <div class="sheet-cols">
        <section>
          <h2>From</h2>
          <p>
            {d.settings.storeName}
            <br />
            {c.address}
          </p>
        </section>
        <section>
          <h2>Ship to</h2>
          <address>
            {a.name}
            <br />
            {a.line1}
            {a.line2 ? (
              <>
                <br />
                {a.line2}
              </>
            ) : null}
            <br />
            {a.city}, {a.state} {a.postalCode}
            <br />
            {a.country}
          </address>
        </section>
      </div>
      <table class="table sheet-table">
        <thead>
          <tr>
            <th scope="col" class="num">
              Qty
            </th>
            <th scope="col">Product</th>
            <th scope="col">SKU</th>
          </tr>
        </thead>
        <tbody>
          {items.map((i) => (
            <tr>
              <td class="num qty">{i.quantity}</td>
              <td>
                {i.productName}
                {Object.keys(i.options).length ? <span class="sub">{optionsText(i.options)}</span> : null}
              </td>
              <td>
                <code>{i.sku}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {order.discountCode ? (
        // The slip shows no prices, but a gift or a price question often turns on the discount.
        <p class="slip-discount">
          Discount applied: <strong>{order.discountCode}</strong>
          {order.discount > 0 ? ` (you saved ${formatMoney(order.discount, order.currency)})` : ' (free shipping)'}
        </p>
      ) : null}
      <section class="slip-note">
        <h2>When your parcel arrives</h2>
        <p>
          Please check that the outer packaging is intact and that the number of items matches this slip. If anything is wrong, keep the packaging and contact us with
          your order number {order.number}: {c.phone}, {c.email}.
        </p>
      </section>
    </article>
  );
}
