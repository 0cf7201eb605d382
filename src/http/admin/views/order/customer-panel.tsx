// Who ordered and where it goes: contact details and the shipping address.
import { formatPhone } from '../../../../domain/shared/phone.ts';
import { humanize } from '../display.tsx';
import type { PanelProps } from './order-page-data.ts';

export function Customer({ detail }: PanelProps) {
  const { order } = detail;
  return (
    <section class="panel" aria-labelledby="customer-title">
      <h2 id="customer-title">Customer</h2>
      <dl class="kv">
        <dt>Name</dt>
        <dd>{order.shippingAddress.name}</dd>
        <dt>Email</dt>
        <dd>
          <a href={`mailto:${order.email}`}>{order.email}</a>
        </dd>
        <dt>Phone</dt>
        <dd>
          <a href={`tel:${order.phone}`}>{formatPhone(order.phone)}</a>
        </dd>
      </dl>
      <h3>Ship to</h3>
      <address class="address">
        {order.shippingAddress.name}
        <br />
        {order.shippingAddress.line1}
        {order.shippingAddress.line2 ? (
          <>
            <br />
            {order.shippingAddress.line2}
          </>
        ) : null}
        <br />
        {order.shippingAddress.city}, {order.shippingAddress.state} {order.shippingAddress.postalCode}
        <br />
        {order.shippingAddress.country}
      </address>
      <p class="muted">Shipping method: {humanize(order.shippingMethod)}</p>
    </section>
  );
}
