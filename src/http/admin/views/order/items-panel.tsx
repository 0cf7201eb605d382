// What was bought: one row per line, then the order's totals.
import { formatMoney } from '../../../../domain/shared/money.ts';
import { discountRows, TotalsList } from '../../../pages/views/parts.tsx';
import { humanize, optionsText } from '../display.tsx';
import type { PanelProps } from './order-page-data.ts';

export function Items({ detail }: PanelProps) {
  const { order, items } = detail;
  return (
    <section class="panel" aria-labelledby="items-title">
      <h2 id="items-title">Items</h2>
      <div class="table-wrap">
        <table class="table">
          <thead>
            <tr>
              <th scope="col">Product</th>
              <th scope="col">SKU</th>
              <th scope="col" class="num">
                Qty
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
            {items.map((i) => (
              <tr>
                <td>
                  {i.productName}
                  {Object.keys(i.options).length ? <span class="sub">{optionsText(i.options)}</span> : null}
                </td>
                <td>
                  <code>{i.sku}</code>
                </td>
                <td class="num qty">{i.quantity}</td>
                <td class="num">{formatMoney(i.unitPrice, order.currency)}</td>
                <td class="num">
                  {formatMoney(i.lineTotal, order.currency)}
                  {i.discount ? <span class="sub">−{formatMoney(i.discount, order.currency)} discount</span> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <TotalsList
        rows={[
          ['Subtotal', formatMoney(order.subtotal, order.currency)],
          ...discountRows(order.discount, order.discountCode, (c) => formatMoney(c, order.currency)),
          [`Shipping (${humanize(order.shippingMethod)})`, formatMoney(order.shipping, order.currency)],
          ['Tax', formatMoney(order.tax, order.currency)],
          // Each authority's share, and the part charged on shipping, as filed.
          ...order.taxBreakdown.map((j): [string, string] => [`${j.name} (${j.rateBp / 100}% of ${formatMoney(j.taxable, order.currency)})`, formatMoney(j.tax, order.currency)]),
          ...(order.shippingTax > 0 ? [['of which on shipping', formatMoney(order.shippingTax, order.currency)] as [string, string]] : []),
        ]}
        total={['Total', formatMoney(order.total, order.currency)]}
      />
    </section>
  );
}
