// Sent once payment has succeeded: the customer's receipt and the record of the order.
import { formatPhone } from '../domain/shared/phone.ts';
import { cardLabel, countryName, formatDateTime, money, present, trackingButton, type Template } from './content.ts';
import type { OrderConfirmationPayload } from '../domain/notifications/email-payloads.ts';

export const orderConfirmation: Template<OrderConfirmationPayload> = ({ order, payment, trackingUrl }, ctx) => {
  const m = (cents: number) => money(cents, order.currency);
  const a = order.shippingAddress;
  return {
    subject: `Order ${order.number} confirmed`,
    preheader: `Thanks for your order. Your receipt for ${order.number}, total ${m(order.total)}.`,
    blocks: [
      { kind: 'heading', text: 'Thank you for your order' },
      {
        kind: 'paragraph',
        text: [
          `Hi ${a.name}, we have received your payment and order `,
          { strong: order.number },
          ' is now with our team. Keep this email as the record of your purchase.',
        ],
      },
      {
        kind: 'facts',
        rows: [
          ['Order number', order.number],
          ['Order date', formatDateTime(order.createdAt, ctx)],
          ['Shipping method', order.shippingMethodLabel],
          ['Order total', m(order.total)],
        ],
      },
      trackingButton(trackingUrl, 'Track your order'),

      { kind: 'section', title: 'Your items' },
      {
        kind: 'items',
        lines: order.items.map((item) => ({
          name: item.name,
          // One line of options ("Color: Sand · Size: Large"), one for the SKU.
          details: [
            Object.entries(item.options ?? {})
              .map(([k, v]) => `${k}: ${v}`)
              .join(' · '),
            present(item.sku) ? `SKU ${item.sku}` : '',
          ].filter(present),
          quantity: item.quantity,
          unitPrice: m(item.unitPrice),
          lineTotal: m(item.lineTotal),
        })),
        totals: [
          { label: 'Subtotal', value: m(order.subtotal) },
          // A labelled discount of 0 took nothing off the goods: it was free shipping.
          ...(order.discountCode || order.discount
            ? [{ label: `Discount${order.discountCode ? ` (${order.discountCode})` : ''}`, value: order.discount ? `−${m(order.discount)}` : 'Free shipping' }]
            : []),
          { label: `Shipping (${order.shippingMethodLabel})`, value: order.shipping === 0 ? 'Free' : m(order.shipping) },
          { label: 'Tax', value: m(order.tax) },
          { label: 'Total', value: m(order.total), total: true },
        ],
      },

      { kind: 'section', title: 'Payment' },
      {
        kind: 'facts',
        rows: [
          ['Card', cardLabel(payment.brand, payment.last4)],
          [payment.captured === false ? 'Amount reserved' : 'Amount charged', m(payment.amount)],
          ['Transaction ID', payment.transactionId],
          [payment.captured === false ? 'Reserved on' : 'Paid on', formatDateTime(payment.createdAt, ctx)],
        ],
      },
      ...(payment.captured === false
        ? [{ kind: 'paragraph' as const, muted: true, text: 'The amount is reserved on your card and taken when your parcel is handed to the carrier. If the order is cancelled before then, the reservation is simply released.' }]
        : []),

      { kind: 'section', title: 'Shipping to' },
      {
        kind: 'address',
        lines: [
          a.name,
          a.line1,
          ...(present(a.line2) ? [a.line2] : []),
          `${a.city}, ${a.state} ${a.postalCode}`,
          countryName(a.country),
        ],
        extra: [order.email, present(order.phone) ? formatPhone(order.phone) : ''].filter(present),
      },

      { kind: 'section', title: 'What happens next' },
      {
        kind: 'steps',
        steps: [
          { title: 'Verification', text: 'We check the order details and confirm the payment.' },
          { title: 'Preparation', text: 'Your items are picked from our stock and looked over.' },
          { title: 'Packing', text: 'Everything is packed securely for the trip.' },
          {
            title: 'Handover to the carrier',
            text: 'The parcel goes to the carrier, and we email you its tracking number.',
          },
        ],
      },
      {
        kind: 'paragraph',
        text: 'You can check on your order at any time with the tracking link above, or on our tracking page by entering your order number together with the email address or phone number you used at checkout.',
      },
      {
        kind: 'note',
        title: 'Need to change or cancel something?',
        text: 'Contact our customer service as soon as you can. Changes and cancellations are only possible until the order is handed to the carrier.',
      },
    ],
  };
};
