// Sent when an agent takes an order by phone: what was agreed (items, prices, address) and
// the link to pay for it. The order is placed, and the stock taken, when it is paid.
import { contactLine, money, type Template } from './content.ts';
import type { PaymentLinkPayload } from '../domain/notifications/email-payloads.ts';

export const paymentLink: Template<PaymentLinkPayload> = (p, ctx) => {
  const total = money(p.total, p.currency);
  return {
    subject: `Your order from ${ctx.settings.storeName}: pay ${total} to confirm it`,
    preheader: `The order you placed by phone is ready: pay ${total} to confirm it.`,
    blocks: [
      { kind: 'heading', text: 'Your order is ready to pay' },
      { kind: 'paragraph', text: [`Thank you for calling us. Here is the order we put together with you; it is confirmed once it is paid, by `, { strong: p.expiresOn }, '.'] },
      {
        kind: 'items',
        lines: p.items.map((i) => ({ name: i.name, quantity: i.quantity, unitPrice: money(i.unitPrice, p.currency), lineTotal: money(i.unitPrice * i.quantity, p.currency) })),
        totals: [
          { label: 'Subtotal', value: money(p.subtotal, p.currency) },
          { label: 'Shipping', value: p.shipping === 0 ? 'Free' : money(p.shipping, p.currency) },
          { label: 'Sales tax', value: money(p.tax, p.currency) },
          { label: 'Total', value: total, total: true },
        ],
      },
      { kind: 'section', title: 'Shipping to' },
      { kind: 'address', lines: p.address },
      { kind: 'button', label: `Pay ${total}`, href: p.payUrl },
      { kind: 'paragraph', muted: true, text: 'You pay on our payment provider’s secure page: we never see your card. Prices and stock are checked again when you pay.' },
      contactLine(ctx),
    ],
  };
};
